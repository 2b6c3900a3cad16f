/** XML helpers of the Salesforce DX source files (Metadata API namespace, 4-space indentation). */
export const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const tag = (name: string, value: string | number | boolean, indent = '    ') => `${indent}<${name}>${esc(String(value))}</${name}>\n`;
