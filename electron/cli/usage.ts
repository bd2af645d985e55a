/**
 * `cloudward help`: kept here, apart from the command modules, so help and --version start without loading
 * any command (and so without zod, SQLite or a protocol library). test/unit/cli/usage.test.ts fails when a
 * command's own usage string is missing here, so the two cannot drift.
 */
export const usage = `Cloudward: move POP-era Outlook data and IMAP mailboxes into Microsoft 365 / Exchange.

  cloudward migrate --source SPEC --target SPEC [--ledger FILE] [--json] [--batch users.csv] [--parallel N]
                  [--source-ca FILE] [--admin-user NAME --login-format dovecot|sasl|exchange|mirapoint]
                  [--target-mailbox ADDRESS] [--target-auth token|basic|ntlm|device-code|client-credentials]
                  [--tenant ID] [--client-id ID] [--graph-endpoint URL] [--graph-autocomplete-beta] [--max-item-mb N] [--ews-budget-mb N] [--remove-passwords] [--log FILE]
                  [--profile]
  cloudward status [--ledger FILE] [--json]
  cloudward report [--ledger FILE] --format html|csv|json [--out FILE]
  cloudward pst inspect <file> [--json]
  cloudward preflight --domain DOMAIN [--phase before|after] [--dns-server IP:PORT]
                  [--smtp HOST[:PORT] | --no-smtp] [--smtp-user ADDRESS] [--send-test ADDRESS]
                  [--legacy-device direct-send|relay] [--relay-host HOST[:PORT]] [--legacy-sender SPF-TERM]
                  [--not-via-m365] [--imap imaps://USER@HOST[:PORT] [--admin-user NAME --login-format F]] [--target SPEC [--target-mailbox ADDRESS]
                  [--target-auth MODE] [--tenant ID] [--client-id ID]] [--ca FILE] [--ledger FILE] [--json]
  cloudward handover inventory|plan [--from-capture DIR] [--user SID] [--include-credential-store] [--json]
  cloudward handover run (--confirm TOKEN | --dry-run) [--backup DIR] [--user SID] [--include-credential-store] [--json]
  cloudward handover report RUN-ID [--format html|text] [--out FILE]
  cloudward handover capture DIR
  cloudward autocomplete read <file> [--json|--csv] | export <file> --vcf OUT | convert <nk2> --out <file.dat> | merge <file>... --out <file>
  cloudward ui [--port N] [--ledger FILE] [--no-open]

Sources: eml:<folder> (.eml trees, Maildir)   pst:<file>[,<file>...] (PST/OST)   imap://user@host[:port], imaps://...
Targets: dir:<folder>   ews:https://host/EWS/Exchange.asmx (with --target-mailbox)
Secrets come from the OS keychain, CLOUDWARD_SOURCE_PASSWORD, CLOUDWARD_TARGET_PASSWORD,
CLOUDWARD_TARGET_TOKEN, or a prompt; never from the command line.
Exit codes: 0 done, 1 done with skipped or failed items, 2 bad arguments, 3 source unreadable,
4 target unreachable, 5 failed, 130 interrupted.
`;
