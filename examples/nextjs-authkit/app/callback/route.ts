// The redirect URI (NEXT_PUBLIC_WORKOS_REDIRECT_URI): exchanges the code and stores the session cookie.
import { handleAuth } from '@workos-inc/authkit-nextjs';
import { saveProviderTokens } from '@/lib/provider-tokens';

export const GET = handleAuth({
  // The upstream provider's tokens come only with this first authentication: keep them.
  onSuccess: async ({ user, oauthTokens }) => {
    if (oauthTokens) saveProviderTokens(user.id, oauthTokens);
  },
});
