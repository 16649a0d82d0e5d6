/** @type {import('next').NextConfig} */
const nextConfig = {
  // This example lives inside the mock-authkit repository, which has its own lockfile: build from here.
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
