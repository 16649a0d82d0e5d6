// AuthKit's proxy (Next.js 16; "middleware" before) keeps the session cookie fresh and lets withAuth() work.
import { authkitProxy } from '@workos-inc/authkit-nextjs';

export default authkitProxy();

export const config = { matcher: ['/'] };
