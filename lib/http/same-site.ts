// A cheap proof that one of our own pages asked: browsers stamp every cross-site POST with Origin and
// Sec-Fetch-Site, and a page cannot forge either. Without this, any popular site could make each of its visitors'
// browsers start a lab here: a new anonymous learner per visitor, at a new address each time, so neither the
// per-learner nor the per-client cap would bind. Requests without the headers (scripts, the CLI, tests) pass:
// they come from one address each and the per-client cap bounds them.
export function crossSiteRefusal(request: Request, allowedOrigins: readonly string[] | undefined): string | undefined {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return `Labs can only be started from this site's own pages (this request came from a ${site} page).`;
  const origin = request.headers.get('origin');
  if (!origin) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'The request names an origin that is not a URL.';
  }
  if (allowedOrigins?.some((a) => URL.canParse(a) && new URL(a).origin === parsed.origin)) return undefined;
  const host = (request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? '').split(',')[0]!.trim().toLowerCase();
  if (host && parsed.host === host) return undefined;
  return `Labs can only be started from this site's own pages, not from ${parsed.origin}.`;
}
