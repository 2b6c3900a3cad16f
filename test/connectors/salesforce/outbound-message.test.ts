import { describe, expect, it } from 'vitest';
import { MalformedOutboundMessage, parseOutboundMessage, sameSalesforceId } from '../../../src/connectors/salesforce/outbound-message.ts';

describe('outbound message parsing', () => {
  it('reads any namespace prefixes, a nil session id and several notifications', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns2="urn:sobject.enterprise.soap.sforce.com">' +
      '<S:Body><o:notifications xmlns:o="http://soap.sforce.com/2005/09/outbound"><o:OrganizationId>00D5g000004ABCD</o:OrganizationId>' +
      '<o:ActionId>04k5g000000XYZAAA</o:ActionId><o:SessionId xsi:nil="true"/><o:EnterpriseUrl>https://x</o:EnterpriseUrl><o:PartnerUrl>https://x</o:PartnerUrl>' +
      '<o:Notification><o:Id>04l000000000001AAA</o:Id><o:sObject xsi:type="ns2:Lead"><ns2:Id>00Q5g00000Lead1AAA</ns2:Id><ns2:LastModifiedById>0055g00000AAAAAAAA</ns2:LastModifiedById><ns2:LastModifiedDate>2026-11-26T10:00:00.000+0000</ns2:LastModifiedDate></o:sObject></o:Notification>' +
      '<o:Notification><o:Id>04l000000000002AAA</o:Id><o:sObject xsi:type="ns2:Account"><ns2:Id>0015g00000Acct1AAA</ns2:Id></o:sObject></o:Notification>' +
      '</o:notifications></S:Body></S:Envelope>';
    const msg = parseOutboundMessage(xml);
    expect(msg.organizationId).toBe('00D5g000004ABCD');
    expect(msg.notifications).toEqual([
      { notificationId: '04l000000000001AAA', objectType: 'Lead', recordId: '00Q5g00000Lead1AAA', lastModifiedById: '0055g00000AAAAAAAA', occurredAt: Date.parse('2026-11-26T10:00:00Z') },
      { notificationId: '04l000000000002AAA', objectType: 'Account', recordId: '0015g00000Acct1AAA' },
    ]);
  });

  it('skips notifications of deleted records, typing the rest from xsi:type or the id key prefix', () => {
    const note = (id: string, so: string) => `<Notification><Id>${id}</Id>${so}</Notification>`;
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">' +
      '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound"><OrganizationId>00D5g000004ABCD</OrganizationId><ActionId>04k</ActionId>' +
      note('04l1', '') +
      note('04l2', '<sObject xsi:type="sf:Account"/>') +
      note('04l3', '<sObject xsi:nil="true"/>') +
      note('04l4', '<sObject><sf:Id>00Q5g00000Lead1AAA</sf:Id></sObject>') +
      note('04l5', '<sObject><sf:Id>0015g00000Acct1AAA</sf:Id></sObject>') +
      note('04l6', '<sObject><sf:Id>0035g00000Cont1AAA</sf:Id></sObject>') +
      note('04l7', '<sObject xsi:type="sf:Contact"><sf:Id>0035g00000Cont1AAA</sf:Id></sObject>') +
      note('04l8', '<sObject xsi:type="sf:Account"><sf:Id xsi:nil="true"/></sObject>') +
      note('04l9', '<sObject xsi:type="sf:Account"><sf:Id>0015g00000Acct2AAA</sf:Id><sf:LastModifiedById xsi:nil="true"/></sObject>') +
      '</notifications></soapenv:Body></soapenv:Envelope>';
    const msg = parseOutboundMessage(xml);
    expect(msg.notifications.map((n) => [n.notificationId, n.objectType, n.recordId])).toEqual([
      ['04l4', 'Lead', '00Q5g00000Lead1AAA'],
      ['04l5', 'Account', '0015g00000Acct1AAA'],
      ['04l6', 'Contact', '0035g00000Cont1AAA'],
      ['04l7', 'Contact', '0035g00000Cont1AAA'],
      ['04l9', 'Account', '0015g00000Acct2AAA'],
    ]);
    expect(msg.notifications.at(-1)?.lastModifiedById).toBeUndefined();
    expect(msg.withoutRecord).toEqual(['04l1', '04l2', '04l3', '04l8']);
  });

  it('keeps text that looks like markup as text, never as entities', () => {
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><notifications>' +
      '<OrganizationId>00D5g000004ABCD</OrganizationId><ActionId>04k</ActionId><Notification><Id>04l1</Id>' +
      '<sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>0015g00000Acct1AAA</sf:Id><sf:Name>A &amp; B &lt;Ltd&gt;</sf:Name></sObject>' +
      '</Notification></notifications></soapenv:Body></soapenv:Envelope>';
    expect(parseOutboundMessage(xml).notifications[0]?.recordId).toBe('0015g00000Acct1AAA');
  });

  it('refuses a SYSTEM entity, an internal subset and non-SOAP XML', () => {
    for (const bad of [
      '<!DOCTYPE x SYSTEM "http://evil.example/x.dtd"><x/>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ELEMENT x ANY>]><x/>',
      '<notifications><OrganizationId>1</OrganizationId></notifications>',
    ]) {
      expect(() => parseOutboundMessage(bad), bad).toThrow(MalformedOutboundMessage);
    }
  });

  it('compares 15- and 18-character ids', () => {
    expect(sameSalesforceId('00D5g000004ABCD', '00D5g000004ABCDEAA')).toBe(true);
    expect(sameSalesforceId('00D5g000004ABCd', '00D5g000004ABCDEAA')).toBe(false);
    expect(sameSalesforceId(undefined, '00D5g000004ABCDEAA')).toBe(false);
  });
});
