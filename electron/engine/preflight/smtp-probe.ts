import { readFile } from 'node:fs/promises';

import { CloudwardError, type PreflightFinding, toCloudwardError } from '../../contract/index.js';
import { microsoftMxPattern } from './dns-checks.js';
import { check, type ProbeContext, type PreflightProbe } from './probe.js';
import { ehloExtensions, replyText, type SmtpReply, SmtpSession } from './smtp-session.js';

/*
 * Mail submission to Microsoft 365 as Microsoft documents it:
 * - "How to set up a multifunction device or application to send email using Microsoft 365"
 *   (learn.microsoft.com/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365):
 *   option 1 SMTP AUTH client submission to smtp.office365.com:587 with STARTTLS and TLS 1.2; option 2 direct send
 *   to the MX endpoint on port 25, no AUTH, only to recipients in your own organisation; option 3 SMTP relay through
 *   a connector (the office's static IP or a certificate), any recipient.
 * - "Enable or disable SMTP AUTH in Exchange Online" (learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/
 *   authenticated-client-smtp-submission): off by default for new tenants; per mailbox with
 *   `Set-CASMailbox -Identity <user> -SmtpClientAuthenticationDisabled $false` or the admin center (Users > Active
 *   users > Mail > Manage email apps > Authenticated SMTP); refusals say "5.7.139 Authentication unsuccessful,
 *   SmtpClientAuthentication is disabled for the Mailbox/Tenant".
 * - TLS 1.0/1.1 are retired for Microsoft 365 (learn.microsoft.com/purview/tls-1.0-and-1.1-deprecation-for-office-365).
 */
export const defaultSubmissionHost = 'smtp.office365.com';
export const defaultSubmissionPort = 587;

const connectCheck = check('smtp', 'smtp.connect', 'Mail submission server answers');
const tlsCheck = check('smtp', 'smtp.starttls', 'STARTTLS with TLS 1.2 or newer');
const authCheck = check('smtp', 'smtp.auth', 'SMTP AUTH for the sending account');
const sendCheck = check('smtp', 'smtp.send', 'Test message accepted');

export function parseHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match?.[1];
  const port = Number(match?.[2] ?? defaultPort);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new CloudwardError('BAD_ARGUMENTS', `"${text}" is not host[:port]`);
  return { host, port };
}

const modernTls = new Set(['TLSv1.2', 'TLSv1.3']);

export const submissionProbe: PreflightProbe = {
  area: 'smtp',
  checks: [connectCheck, tlsCheck, authCheck, sendCheck],
  async run(context) {
    const { request } = context;
    const { host, port } = parseHostPort(typeof request.smtp === 'string' ? request.smtp : defaultSubmissionHost, defaultSubmissionPort);
    const where = `${host}:${port}`;
    const findings: PreflightFinding[] = [];
    const skipRest = (why: string, from: number): PreflightFinding[] => [connectCheck, tlsCheck, authCheck, sendCheck].slice(from).map((builder) => builder.skip([why]));
    let opened: Awaited<ReturnType<typeof SmtpSession.open>>;
    try {
      opened = await SmtpSession.open(host, port);
    } catch (error) {
      return [
        connectCheck.fail([toCloudwardError(error).message], `Check that this network lets the PC reach ${where} (firewalls and ISPs often block outgoing SMTP), and the host name.`),
        ...skipRest(`${where} could not be reached`, 1),
      ];
    }
    const { session, greeting } = opened;
    try {
      if (greeting.code !== 220) {
        return [connectCheck.fail([`greeting: ${replyText(greeting)}`], `${where} refuses new connections; check the host name or try again later.`), ...skipRest('no greeting', 1)];
      }
      const ehlo = await session.command('EHLO cloudward-preflight');
      findings.push(connectCheck.pass([`greeting: ${replyText(greeting)}`]));
      if (ehlo.code !== 250 || !ehloExtensions(ehlo).has('STARTTLS')) {
        findings.push(tlsCheck.fail([`EHLO: ${replyText(ehlo)}`, 'STARTTLS is not offered'], `Use a submission server that offers STARTTLS (Microsoft 365: ${defaultSubmissionHost}:${defaultSubmissionPort}).`));
        return [...findings, ...skipRest('no TLS', 2)];
      }
      const go = await session.command('STARTTLS');
      if (go.code !== 220) {
        findings.push(tlsCheck.fail([`STARTTLS: ${replyText(go)}`], `The server offered STARTTLS but refused it; check ${where} with its administrator.`));
        return [...findings, ...skipRest('no TLS', 2)];
      }
      const ca = request.caFile === undefined ? undefined : await readFile(request.caFile);
      let protocol: string;
      try {
        const secure = await session.startTls(host, ca);
        protocol = secure.getProtocol() ?? 'unknown';
        const cipher = secure.getCipher();
        const evidence = [`STARTTLS: ${replyText(go)}`, `negotiated ${protocol} (${cipher.name})`];
        if (!modernTls.has(protocol)) {
          findings.push(tlsCheck.fail([...evidence, 'Microsoft 365 refuses TLS 1.0 and 1.1'], 'Update the sending program or device to one that speaks TLS 1.2, or send through a relay connector on port 25 instead.'));
          return [...findings, ...skipRest(`${protocol} is too old`, 2)];
        }
        findings.push(tlsCheck.pass(evidence));
      } catch (error) {
        const message = toCloudwardError(error).message;
        findings.push(tlsCheck.fail([message], /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(message) ? `The server's certificate is not trusted by this PC: fix the certificate, or give the file that holds it (--ca FILE) if it is your own server.` : `TLS with ${where} failed: update the server or the program to TLS 1.2 or newer.`));
        return [...findings, ...skipRest('TLS failed', 2)];
      }
      const secureEhlo = await session.command('EHLO cloudward-preflight');
      findings.push(await authenticate(context, session, host, secureEhlo));
      findings.push(await sendTest(context, session, findings[findings.length - 1]?.verdict === 'pass'));
      return findings;
    } finally {
      session.close();
    }
  },
};

function smtpAccount(user: string, host: string): string {
  return `smtp://${user}@${host}`;
}

async function authenticate(context: ProbeContext, session: SmtpSession, host: string, ehlo: SmtpReply): Promise<PreflightFinding> {
  const { request, secrets } = context;
  const mechanisms = ehloExtensions(ehlo).get('AUTH') ?? [];
  const offered = `AUTH offered: ${mechanisms.length > 0 ? mechanisms.join(' ') : '(none)'}`;
  if (mechanisms.length === 0) {
    return authCheck.fail([`EHLO: ${replyText(ehlo)}`, offered], 'The server does not offer SMTP AUTH after STARTTLS; in Microsoft 365 turn on Authenticated SMTP for the tenant (Set-TransportConfig -SmtpClientAuthenticationDisabled $false) or use a relay connector.');
  }
  const user = request.smtpUser;
  if (user === undefined) return authCheck.skip([offered, 'no account given (--smtp-user)']);
  const account = smtpAccount(user, host);
  const password = await secrets.get('target-password', account);
  const token = password === undefined && mechanisms.includes('XOAUTH2') ? await secrets.get('target-token', account) : undefined;
  if (password === undefined && token === undefined) {
    return authCheck.skip([offered, `no password in the keychain (account "target-password:${account}") or CLOUDWARD_TARGET_PASSWORD`]);
  }
  let reply: SmtpReply;
  let mechanism: string;
  if (password === undefined) {
    mechanism = 'XOAUTH2';
    reply = await session.command(`AUTH XOAUTH2 ${Buffer.from(`user=${user}\x01auth=Bearer ${token ?? ''}\x01\x01`).toString('base64')}`, 'AUTH XOAUTH2 [token]');
  } else if (mechanisms.includes('PLAIN')) {
    mechanism = 'PLAIN';
    reply = await session.command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`, 'AUTH PLAIN [credentials]');
  } else if (mechanisms.includes('LOGIN')) {
    mechanism = 'LOGIN';
    reply = await session.command('AUTH LOGIN');
    if (reply.code === 334) reply = await session.command(Buffer.from(user).toString('base64'), '[user name]');
    if (reply.code === 334) reply = await session.command(Buffer.from(password).toString('base64'), '[password]');
  } else {
    return authCheck.fail([offered], 'The server offers no password mechanism Cloudward can use (PLAIN or LOGIN); ask its administrator.');
  }
  const evidence = [offered, `AUTH ${mechanism} as ${user}: ${replyText(reply)}`];
  if (reply.code === 235) return authCheck.pass(evidence);
  const text = replyText(reply);
  if (/SmtpClientAuthentication is disabled/i.test(text) || (/5\.7\.139/.test(text) && !/basic authentication/i.test(text))) {
    const tenant = /for the Tenant/i.test(text);
    return authCheck.fail(
      [...evidence, `Authenticated SMTP is turned off for the ${tenant ? 'whole tenant' : 'mailbox'} (it is off by default in Microsoft 365)`],
      tenant
        ? 'Turn on Authenticated SMTP for the tenant: Set-TransportConfig -SmtpClientAuthenticationDisabled $false (Exchange Online PowerShell), or in the Microsoft 365 admin center under Settings > Org settings > Modern authentication.'
        : `Turn on Authenticated SMTP for ${user}: Set-CASMailbox -Identity ${user} -SmtpClientAuthenticationDisabled $false, or in the Microsoft 365 admin center under Users > Active users > ${user} > Mail > Manage email apps > Authenticated SMTP.`,
    );
  }
  if (/basic authentication/i.test(text)) {
    return authCheck.fail([...evidence, 'password sign-in (basic authentication) is switched off for SMTP'], 'Use a program or device that signs in with OAuth (XOAUTH2), or send through a relay connector or direct send on port 25 instead.');
  }
  return authCheck.fail([...evidence, 'the server refused the user name or password'], `Check the password of ${user} (stored in the keychain as "target-password:${account}"); an account with multi-factor sign-in needs OAuth instead.`);
}

async function sendTest(context: ProbeContext, session: SmtpSession, authenticated: boolean): Promise<PreflightFinding> {
  const { request } = context;
  const to = request.sendTestTo;
  if (to === undefined) return sendCheck.skip(['no test message asked for (--send-test ADDRESS)']);
  if (!authenticated) return sendCheck.skip(['not signed in, so no test message was sent']);
  const from = request.smtpUser ?? `preflight@${request.domain}`;
  const steps: string[] = [];
  const step = async (line: string, expect: number): Promise<SmtpReply | undefined> => {
    const reply = await session.command(line);
    steps.push(`${line.split(':')[0] ?? line}: ${replyText(reply)}`);
    return reply.code === expect ? reply : undefined;
  };
  const fix = `Check that ${from} may send as itself and that ${to} is a valid address; the server's answer above says why it refused.`;
  if (!(await step(`MAIL FROM:<${from}>`, 250)) || !(await step(`RCPT TO:<${to}>`, 250)) || !(await step('DATA', 354))) return sendCheck.fail(steps, fix);
  const message = [
    `From: <${from}>`,
    `To: <${to}>`,
    `Subject: Cloudward preflight test for ${request.domain}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <preflight-${Date.now()}@${request.domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `This message was sent by Cloudward's preflight check to prove that mail submission works for ${request.domain}.`,
    '.',
  ].join('\r\n');
  const accepted = await step(message, 250);
  steps[steps.length - 1] = `message: ${steps[steps.length - 1]?.split(': ').slice(1).join(': ') ?? ''}`;
  return accepted ? sendCheck.pass(steps) : sendCheck.fail(steps, fix);
}

const legacyCheck = check('smtp', 'smtp.legacy', 'A device that can only send on port 25 without TLS');

const legacyChoices =
  'choices for a device without TLS: direct send (to the MX host on port 25, no sign-in, only to mailboxes of your own domain) or an SMTP relay connector (to the MX host on port 25, any recipient, the office identified by its fixed public IP); SMTP AUTH on 587 needs TLS, which the device lacks';

/** Tests the route chosen for a legacy device: does the MX (or the given relay host) accept mail on 25 without AUTH? */
export const legacyDeviceProbe: PreflightProbe = {
  area: 'smtp',
  checks: [legacyCheck],
  async run({ request, dns }) {
    const mode = request.legacyDevice ?? 'direct-send';
    let target: { host: string; port: number };
    if (request.relayHost !== undefined) target = parseHostPort(request.relayHost, 25);
    else {
      const mx = (await dns.mx(request.domain)).sort((a, b) => a.priority - b.priority)[0];
      if (!mx) return [legacyCheck.fail([legacyChoices, `no MX record for ${request.domain}`], 'Publish the MX record first; both direct send and relay go to the MX host.')];
      target = { host: mx.exchange, port: 25 };
    }
    const where = `${target.host}:${target.port}`;
    const evidence = [legacyChoices, `chosen: ${mode}, tested against ${where}`];
    if (!microsoftMxPattern.test(target.host)) evidence.push(`${target.host} is not Microsoft 365's MX host: this tests the server mail goes to today`);
    const recipient = mode === 'direct-send'
      ? request.sendTestTo?.toLowerCase().endsWith(`@${request.domain.toLowerCase()}`) ? request.sendTestTo : `postmaster@${request.domain}`
      : request.sendTestTo ?? 'preflight-relay-test@example.com';
    let opened: Awaited<ReturnType<typeof SmtpSession.open>>;
    try {
      opened = await SmtpSession.open(target.host, target.port);
    } catch (error) {
      return [legacyCheck.fail([...evidence, toCloudwardError(error).message], `Port 25 to ${where} is blocked from this network (many ISPs block it): ask the ISP to open it, or choose another route.`)];
    }
    const { session, greeting } = opened;
    try {
      evidence.push(`greeting: ${replyText(greeting)}`);
      const ehlo = await session.command('EHLO cloudward-preflight');
      const from = await session.command(`MAIL FROM:<scanner@${request.domain}>`);
      evidence.push(`EHLO: ${ehlo.code}`, `MAIL FROM: ${replyText(from)}`);
      if (from.code !== 250) return [legacyCheck.fail(evidence, `${where} refuses mail from ${request.domain} without sign-in; ${mode === 'relay' ? 'create the relay connector for the office IP first' : 'check that the domain is an accepted domain of the tenant'}.`)];
      const rcpt = await session.command(`RCPT TO:<${recipient}>`);
      evidence.push(`RCPT TO:<${recipient}>: ${replyText(rcpt)}`);
      await session.command('RSET');
      if (rcpt.code === 250 || rcpt.code === 251) {
        return [legacyCheck.pass([...evidence, mode === 'direct-send' ? 'the MX accepts mail for the domain without AUTH: the device can use direct send to its own mailboxes' : 'the host relays to outside recipients: the connector works'])];
      }
      return [
        legacyCheck.fail(
          evidence,
          mode === 'relay'
            ? 'Create a connector in the Exchange admin center (Mail flow > Connectors, from "Your organization\'s email server" to Microsoft 365) that identifies the office by its fixed public IP, then test again.'
            : `The MX host does not accept mail for ${recipient} without sign-in: check that ${request.domain} is an accepted domain and the recipient exists, or choose the relay connector.`,
        ),
      ];
    } catch (error) {
      return [legacyCheck.fail([...evidence, toCloudwardError(error).message], `${where} broke off the conversation; try again, or ask its administrator.`)];
    } finally {
      session.close();
    }
  },
};
