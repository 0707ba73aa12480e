// Browser code (plain ES5-style JS, no template literals) that turns the API's facts into words: money
// with its currency, dates, who and which machine, timeline entries. Part of INBOX_JS (inbox-script.ts).
export const WORDS_JS = `
  var plainNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  // An amount with its currency when the API gives one (ISO 4217), the bare number otherwise.
  function money(amount, currency) {
    if (typeof amount !== 'number' || !isFinite(amount)) return '';
    var digits = Math.round(amount) === amount ? 0 : 2;
    if (currency) {
      try {
        return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency,
          minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
      } catch (e) { return plainNumber.format(amount) + ' ' + currency; }
    }
    return plainNumber.format(amount);
  }
  function num(v) { return typeof v === 'number' && isFinite(v) ? v : 0; }
  // An instant (due, escalated, an event): date and time in the reader's zone.
  function dateTime(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }
  // A date-only fact (detectedAt, a warranty's end): its UTC day, as the reason sentences state it.
  function dayUtc(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso)
      : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  }
  function words(code) { return typeof code === 'string' ? code.replace(/-/g, ' ') : ''; }
  function hoursWords(h) { return typeof h === 'number' ? 'at ' + plainNumber.format(h) + ' h' : ''; }
  function customerWords(t) {
    return t.customerName ? t.customerName + ' (' + t.customerId + ')' : 'Customer ' + t.customerId;
  }
  function machineName(m) { return m ? [m.oemName, m.model].filter(Boolean).join(' ') : ''; }
  function machineWords(t) {
    if (!t.serialNumber) return 'all machines';
    var name = machineName(t.machine);
    return name ? name + ', serial ' + t.serialNumber : 'machine ' + t.serialNumber;
  }
  function taskTitle(t) { return customerWords(t) + ' — ' + machineWords(t); }
  function phrase(head, parts) {
    var rest = parts.filter(function (p) { return p; });
    return rest.length ? head + ' — ' + rest.join(', ') : head;
  }
  var COVERAGE = { standard: 'Standard warranty', 'extended-warranty': 'Extended warranty',
    'maintenance-contract': 'Maintenance contract' };
  // One timeline entry in words, from the summary the API returns (EVENTS.md data, no personal data).
  function eventWords(e) {
    var s = e.summary || {};
    switch (e.type) {
      case 'work-order.closed':
        return phrase('Work order closed', [words(s.kind),
          money(num(s.laborAmount) + num(s.partsAmount), s.currency), hoursWords(s.hoursAtService)]);
      case 'work-order.opened': return phrase('Work order opened', [words(s.kind), hoursWords(s.hoursAtOpen)]);
      case 'parts.sold': return phrase('Parts sold', [words(s.category), money(s.amount, s.currency)]);
      case 'warranty.registered':
        return phrase('Machine delivered, warranty registered', [machineName(s),
          s.endsAt ? 'until ' + dayUtc(s.endsAt) : '', s.hoursLimit ? 'or ' + plainNumber.format(s.hoursLimit) + ' h' : '']);
      case 'warranty.extended':
        return phrase((COVERAGE[s.kind] || 'Cover') + ' bought', [s.endsAt ? 'until ' + dayUtc(s.endsAt) : '',
          money(s.amount, s.currency)]);
      case 'warranty.expiring': return phrase('Warranty ending soon', [s.endsAt ? 'ends ' + dayUtc(s.endsAt) : '']);
      case 'warranty.expired': return phrase((COVERAGE[s.coverage] || 'Warranty') + ' ended',
        [s.endedAt ? dayUtc(s.endedAt) : '']);
      case 'ownership.transferred':
        return phrase('Machine sold on', [s.fromCustomerId ? 'from ' + s.fromCustomerId + ' to ' + s.toCustomerId : '']);
      case 'complaint.opened': return phrase('Complaint opened', [words(s.category),
        s.severity ? words(s.severity) + ' severity' : '']);
      case 'complaint.resolved': return 'Complaint resolved';
      case 'survey.responded':
        return phrase('Survey answered', [s.nps != null ? 'NPS ' + s.nps : '', s.ces != null ? 'CES ' + s.ces : '',
          s.csat != null ? 'CSAT ' + s.csat : '', s.hasComment ? 'with a comment' : '']);
      case 'customer.upserted': return 'Customer details updated';
      case 'telematics.snapshot':
        return phrase('Machine reading', [typeof s.hours === 'number' ? plainNumber.format(s.hours) + ' h' : '',
          s.faultCodes && s.faultCodes.length ? 'faults ' + s.faultCodes.join(' ') : '']);
      default: return String(e.type);
    }
  }
`;
