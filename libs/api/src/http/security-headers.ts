import type { NextFunction, Request, Response } from 'express';

/**
 * Headers of every dealer API response (`/api/v1…`, errors included): customer data must not stay in a
 * browser's or proxy's cache after sign-out, must not be sniffed into another type, and no URL leaks onward.
 */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Express middleware setting API_RESPONSE_HEADERS; mount it on API_PREFIX before the routes. */
export function apiResponseHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set(API_RESPONSE_HEADERS);
  next();
}
