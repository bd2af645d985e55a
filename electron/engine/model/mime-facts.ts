/**
 * What a source that wrote a message's MIME itself knows about it, handed over beside the MIME so a
 * target that needs the message's structure (Graph rebuilds it as JSON) does not parse the bytes the
 * source has just written (issue 15: that parse was ~18 % of the Graph target's CPU for PST items).
 * Every field describes the MIME as written, exactly: a reader of the MIME would find the same.
 */
export interface MimeFacts {
  /** The message's top-level header block as written, one character per byte (latin1), without the blank line that ends it. */
  readonly header: string;
  /** The non-multipart parts, in the order they appear in the MIME (a top-level single part included). */
  readonly parts: readonly MimeLeaf[];
}

export interface MimeLeaf {
  /** The Content-Type's value, lower case, without parameters. */
  readonly contentType: string;
  readonly charset?: string;
  /** The Content-Disposition's value, lower case, when the part has one. */
  readonly disposition?: string;
  readonly filename?: string;
  /** The Content-ID as written, angle brackets included. */
  readonly contentId?: string;
  /** The content types of the multiparts around the part, outermost first. */
  readonly within: readonly string[];
  /** The part is the message itself (no multipart around it). */
  readonly root: boolean;
  /** Length of the decoded content. */
  readonly size: number;
  /** Where the part's base64 lies in the MIME, when it is base64 in canonical 76-character lines (no stray bits or characters). */
  readonly base64?: { readonly source: Buffer; readonly start: number; readonly end: number };
  /** The decoded content, as a reader of the MIME gets it (for a top-level part, up to the end of the message). */
  content(): Buffer;
}
