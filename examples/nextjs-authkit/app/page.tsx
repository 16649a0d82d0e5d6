import { getWorkOS, signOut, withAuth } from '@workos-inc/authkit-nextjs';
import { providerTokens } from '@/lib/provider-tokens';

export default async function Home() {
  const { user, organizationId, role, impersonator, sessionId } = await withAuth();
  if (!user) {
    return (
      <main>
        <p data-testid="signed-out">You are signed out.</p>
        <p>
          <a href="/sign-in">Sign in</a>
        </p>
      </main>
    );
  }
  const organization = organizationId ? await getWorkOS().organizations.getOrganization(organizationId) : null;
  const tokens = providerTokens(user.id);
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
  return (
    <main>
      {impersonator && (
        <p role="status" data-testid="impersonation" style={{ background: '#fef3c7', border: '1px solid #d97706', padding: '.5rem .75rem', borderRadius: 6 }}>
          You are signed in as {user.email}, impersonated by <strong data-testid="impersonator-email">{impersonator.email}</strong>
          {impersonator.reason && (
            <>
              {' '}
              (reason: <span data-testid="impersonator-reason">{impersonator.reason}</span>)
            </>
          )}
          .
        </p>
      )}
      <p>
        Signed in as <strong data-testid="user-name">{name}</strong> (<span data-testid="user-email">{user.email}</span>)
      </p>
      <dl>
        <dt>Organization</dt>
        <dd data-testid="organization">{organization?.name ?? 'None'}</dd>
        <dt>Role</dt>
        <dd data-testid="role">{role ?? 'none'}</dd>
        <dt>Session</dt>
        <dd>
          <code data-testid="session-id">{sessionId}</code>
        </dd>
        {tokens && (
          <>
            <dt>Provider tokens</dt>
            <dd data-testid="provider-tokens">
              access token <code data-testid="provider-access-token">{tokens.accessToken}</code>
              {tokens.scopes?.length ? `, scopes ${tokens.scopes.join(' ')}` : null}
            </dd>
          </>
        )}
      </dl>
      <form
        action={async () => {
          'use server';
          // Back to this app's home page after AuthKit ends the session.
          await signOut({ returnTo: new URL('/', process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI).toString() });
        }}
      >
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
