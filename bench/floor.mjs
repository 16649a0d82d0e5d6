/**
 * The floor: a bare node:http server doing the same WorkOS flow from in-memory maps, one synchronous
 * RS256 signature per token — the least work Node can do for it. Prints its port when listening.
 */
import http from 'node:http';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

// The benchmark hands over a stored key (FLOOR_KEY_PEM), as mock-authkit loads its own from the
// database: start-up is then measured without the random prime search on both sides.
const privateKey = process.env.FLOOR_KEY_PEM ? createPrivateKey(process.env.FLOOR_KEY_PEM) : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const publicKey = createPublicKey(privateKey);
const jwk = publicKey.export({ format: 'jwk' });
const jwksBody = JSON.stringify({ keys: [{ alg: 'RS256', kty: 'RSA', use: 'sig', kid: 'k1', n: jwk.n, e: jwk.e }] });
const codes = new Map();
const refreshTokens = new Map();
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function accessToken(userId, sid) {
  const iat = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ iss: 'floor', sub: userId, sid, jti: randomBytes(8).toString('hex'), iat, exp: iat + 300 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname.startsWith('/sso/jwks/')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(jwksBody) });
      return res.end(jwksBody);
    }
    if (req.method === 'GET' && url.pathname === '/user_management/authorize') {
      const code = randomBytes(16).toString('hex');
      codes.set(code, { user: url.searchParams.get('login_hint') ?? 'user_1', challenge: url.searchParams.get('code_challenge') });
      res.writeHead(302, { location: `${url.searchParams.get('redirect_uri')}?code=${code}&state=${url.searchParams.get('state') ?? ''}` });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/user_management/authenticate') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const params = JSON.parse(body);
        let userId;
        let sid;
        if (params.grant_type === 'authorization_code') {
          const code = codes.get(params.code);
          codes.delete(params.code);
          if (!code || createHash('sha256').update(params.code_verifier).digest('base64url') !== code.challenge) return json(res, 400, { error: 'invalid_grant' });
          userId = code.user;
          sid = randomBytes(8).toString('hex');
        } else {
          const entry = refreshTokens.get(params.refresh_token);
          refreshTokens.delete(params.refresh_token);
          if (!entry) return json(res, 400, { error: 'invalid_grant' });
          ({ userId, sid } = entry);
        }
        const refreshToken = randomBytes(24).toString('base64url');
        refreshTokens.set(refreshToken, { userId, sid });
        json(res, 200, { user: { id: userId }, access_token: accessToken(userId, sid), refresh_token: refreshToken });
      });
      return;
    }
    json(res, 404, { message: 'Not Found' });
  })
  .listen(0, '127.0.0.1', function () {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${this.address().port}` })}\n`);
  });
