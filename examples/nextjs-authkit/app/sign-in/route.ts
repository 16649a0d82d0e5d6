// The "initiate login" route: sets the PKCE cookie and sends the browser to AuthKit.
import { getSignInUrl } from '@workos-inc/authkit-nextjs';
import { redirect } from 'next/navigation';

export const GET = async () => redirect(await getSignInUrl());
