/**
 * Parsing of Salesforce Outbound Messages (SOAP `notifications`, up to 100 `Notification`s). Any DOCTYPE or
 * entity declaration is refused before parsing and entities are never expanded (XXE and "billion laughs"
 * safe); anything that is not a well-formed message of the documented shape is `MalformedOutboundMessage`.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { objectTypeOfId } from './soql.ts';

/** Salesforce puts at most 100 notifications in one message. */
export const MAX_NOTIFICATIONS = 100;

export class MalformedOutboundMessage extends Error {
  override readonly name = 'MalformedOutboundMessage';
}

export interface OutboundNotification {
  /** Notification id (04l…): the same notification may be delivered more than once. */
  notificationId: string;
  /** sObject type from `xsi:type` (`Account`, `Lead`), else from the record id's key prefix. */
  objectType: string;
  recordId: string;
  /** Present when the outbound message includes the field (the loop guard needs it). */
  lastModifiedById?: string;
  /** Ms epoch of the change when the message carries SystemModstamp or LastModifiedDate. */
  occurredAt?: number;
}

export interface OutboundMessage {
  organizationId: string;
  actionId: string;
  /** Notifications that name a record. */
  notifications: OutboundNotification[];
  /**
   * Ids of notifications that name no record (the record was deleted before delivery, or its type is
   * unknown). They are acknowledged with the rest: nothing is left to score.
   */
  withoutRecord: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'Notification',
});

const text = z.string().min(1);
// A deleted record's notification carries no data: the sObject may be absent, empty, nil or lack its Id.
// https://help.salesforce.com/s/articleView?id=platform.workflow_om_considerations.htm
// Fields are read only when they hold text: a nil element (`xsi:nil`) parses as an object.
const sObject = z.union([
  z.looseObject({
    '@_type': z.unknown().optional(),
    Id: z.unknown().optional(),
    LastModifiedById: z.unknown().optional(),
    SystemModstamp: z.unknown().optional(),
    LastModifiedDate: z.unknown().optional(),
  }),
  z.string(),
]);
const notificationsSchema = z.looseObject({
  OrganizationId: text,
  ActionId: text,
  Notification: z.array(z.looseObject({ Id: text, sObject: sObject.optional() })).min(1).max(MAX_NOTIFICATIONS),
});
const envelopeSchema = z.object({
  Envelope: z.looseObject({ Body: z.looseObject({ notifications: notificationsSchema }) }),
});

const textOf = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function objectTypeOf(xsiType: string | undefined, recordId: string): string | undefined {
  const declared = xsiType?.replace(/^.*:/, '');
  return declared || objectTypeOfId(recordId);
}

export function parseOutboundMessage(xml: string): OutboundMessage {
  // A DOCTYPE is never part of an outbound message; refusing it outright closes XXE and entity expansion.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new MalformedOutboundMessage('DOCTYPE and entity declarations are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new MalformedOutboundMessage(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new MalformedOutboundMessage(`not well-formed XML: ${(err as Error).message}`);
  }
  const parsed = envelopeSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedOutboundMessage(`not an outbound message: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  const n = parsed.data.Envelope.Body.notifications;
  const notifications: OutboundNotification[] = [];
  const withoutRecord: string[] = [];
  for (const note of n.Notification) {
    const so = typeof note.sObject === 'object' ? note.sObject : undefined;
    const recordId = textOf(so?.Id);
    const objectType = recordId ? objectTypeOf(textOf(so?.['@_type']), recordId) : undefined;
    if (!so || !recordId || !objectType) {
      withoutRecord.push(note.Id);
      continue;
    }
    const modifiedBy = textOf(so.LastModifiedById);
    const when = Date.parse((textOf(so.SystemModstamp) ?? textOf(so.LastModifiedDate) ?? '').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    notifications.push({
      notificationId: note.Id,
      objectType,
      recordId,
      ...(modifiedBy ? { lastModifiedById: modifiedBy } : {}),
      ...(Number.isNaN(when) ? {} : { occurredAt: when }),
    });
  }
  return { organizationId: n.OrganizationId, actionId: n.ActionId, notifications, withoutRecord };
}

/** Salesforce ids compare on their first 15 characters (the 3-character suffix only encodes case). */
export function sameSalesforceId(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length < 15 || b.length < 15) return false;
  return a.slice(0, 15) === b.slice(0, 15);
}

/** The acknowledgement Salesforce expects for the whole message. */
export const ACK_ENVELOPE =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
  '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">' +
  '<Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>';

/** A SOAP fault: Salesforce shows it in the outbound message delivery status and retries. */
export function soapFault(code: 'Client' | 'Server', message: string): string {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>soapenv:${code}</faultcode><faultstring>${escaped}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
