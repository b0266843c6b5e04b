// STS GetCallerIdentity, so the server's account lookup is tested for real against the emulator: an AWS config
// profile whose endpoint_url points here sends its STS calls here too. awsQuery protocol: form in, XML out.
import { randomUUID } from 'node:crypto';

export function isStsRequest(verb: string, pathname: string, contentType: string | undefined): boolean {
  return verb === 'POST' && pathname === '/' && /application\/x-www-form-urlencoded/i.test(contentType ?? '');
}

export function stsReply(form: URLSearchParams, accountId: string): { status: number; xml: string } {
  const requestId = randomUUID();
  if (form.get('Action') !== 'GetCallerIdentity')
    return {
      status: 400,
      xml: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The emulator answers only GetCallerIdentity</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  return {
    status: 200,
    xml:
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>arn:aws:iam::${accountId}:user/emulator</Arn><UserId>AIDAEMULATOR${accountId}</UserId><Account>${accountId}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
}
