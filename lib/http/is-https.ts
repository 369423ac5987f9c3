// Whether the browser reached us over HTTPS (directly, or through a proxy that says so): cookies then get Secure.
export function isHttpsRequest(request: Request): boolean {
  const forwarded = forwardedHttps(request.headers.get('x-forwarded-proto'));
  if (forwarded !== undefined) return forwarded;
  try {
    return new URL(request.url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** What an X-Forwarded-Proto header says (its first hop), or undefined when there is none. */
export function forwardedHttps(header: string | null | undefined): boolean | undefined {
  return header ? header.split(',')[0]!.trim() === 'https' : undefined;
}
