// Where a real app would persist the upstream provider's tokens (a database). Here: this server's memory.
export interface ProviderTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
}

const globalStore = globalThis as typeof globalThis & { providerTokens?: Map<string, ProviderTokens> };
const store = (globalStore.providerTokens ??= new Map());

export function saveProviderTokens(userId: string, tokens: ProviderTokens): void {
  store.set(userId, tokens);
}

export function providerTokens(userId: string): ProviderTokens | undefined {
  return store.get(userId);
}
