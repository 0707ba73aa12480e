import { Controller, Get, Header } from '@nestjs/common';
import { openApiDocument } from '../openapi/openapi';
import { INBOX_HTML, INBOX_JS } from './inbox-page';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; " +
  "frame-ancestors 'none'; base-uri 'none'";

/** Public, static: the inbox page and script (the data behind them needs a token), and the OpenAPI document. */
@Controller()
export class InboxController {
  private readonly doc = openApiDocument();

  @Get('inbox')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CSP)
  @Header('X-Frame-Options', 'DENY')
  @Header('X-Content-Type-Options', 'nosniff')
  page(): string {
    return INBOX_HTML;
  }

  @Get('inbox/app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Frame-Options', 'DENY')
  @Header('X-Content-Type-Options', 'nosniff')
  script(): string {
    return INBOX_JS;
  }

  @Get('api/docs-json')
  openApi(): Record<string, unknown> {
    return this.doc;
  }
}
