import { scanXml, XmlSyntaxError, type XmlFault, type XmlVisitor } from './xml-scanner.ts';

export type { XmlFault } from './xml-scanner.ts';

const ignoreAll: XmlVisitor = {
  open: () => false,
  text: () => undefined,
  close: () => undefined,
};

/** Where `text` stops being well-formed XML (xml-scanner.ts's checks), or undefined when it is sound. */
export function findXmlFault(text: string): XmlFault | undefined {
  try {
    scanXml(text, ignoreAll);
    return undefined;
  } catch (err) {
    if (err instanceof XmlSyntaxError) return err.fault;
    throw err;
  }
}
