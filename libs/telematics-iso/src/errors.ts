/** The document as a whole could not be read as an ISO 15143-3 fleet snapshot (not one bad entry). */
export class IsoParseError extends Error {
  readonly code = 'ISO_PARSE_ERROR';
  override readonly name = 'IsoParseError';
}
