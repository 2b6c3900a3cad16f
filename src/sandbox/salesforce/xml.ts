/** XML helpers for the sandbox's SOAP endpoints: a safe parser and a small serializer. */
import { XMLParser } from 'fast-xml-parser';

const ARRAY_TAGS = new Set(['metadata', 'fullNames', 'fieldPermissions', 'value', 'queries', 'Notification']);

/** Namespace prefixes dropped, attributes under `@_`, no entity expansion, values kept as text. */
export const soapParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Serializes plain data: arrays repeat the element, `null` becomes `xsi:nil`, `@type` becomes `xsi:type`. */
export function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null || value === undefined) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const type = entries.find(([k]) => k === '@type')?.[1];
    const inner = entries.filter(([k]) => k !== '@type').map(([k, v]) => toXml(k, v)).join('');
    return `<${name}${type ? ` xsi:type="${escape(String(type))}"` : ''}>${inner}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

export function soapEnvelope(bodyXml: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${bodyXml}</soapenv:Body></soapenv:Envelope>`
  );
}

export function soapFault(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>sf:${code}</faultcode><faultstring>${escape(`${code}: ${message}`)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
