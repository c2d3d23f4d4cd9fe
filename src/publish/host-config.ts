/**
 * The headers of `npm start` (src/server/security-headers.ts) written for the hosts that are configured by a
 * file of their own rather than by `_headers`: nginx, Apache, Caddy and Vercel. docs/publish.md shows these
 * snippets (a test keeps it in step); `npx node src/publish/host-config.ts nginx /tcp-lab/` prints one for any base.
 */
import { SECURITY_HEADERS } from '../server/security-headers.ts';
import { IMMUTABLE_CACHE } from './headers-file.ts';

export const HOSTS = ['nginx', 'apache', 'caddy', 'vercel'] as const;
export type Host = (typeof HOSTS)[number];

const headers = Object.entries(SECURITY_HEADERS);

function nginx(base: string): string {
  const add = (indent: string) => headers.map(([k, v]) => `${indent}add_header ${k} "${v}" always;`);
  return [
    `# nginx, inside your server { … } block. Copy the contents of dist/ to /var/www${base}`,
    `location ${base} {`,
    '    root /var/www;',
    `    error_page 404 ${base}404.html;`,
    ...add('    '),
    '',
    '    # add_header in a nested location replaces the outer ones: all of them again, and the long cache.',
    `    location ${base}_astro/ {`,
    ...add('        '),
    `        add_header Cache-Control "${IMMUTABLE_CACHE}" always;`,
    '    }',
    '}',
  ].join('\n');
}

function apache(base: string): string {
  return [
    '# Apache (mod_headers): a .htaccess file in the folder that holds the contents of dist/,',
    `# served at ${base} (the folder needs AllowOverride FileInfo), or the same lines in its <Directory>.`,
    ...headers.map(([k, v]) => `Header always set ${k} "${v}"`),
    `ErrorDocument 404 ${base}404.html`,
    `<If "%{REQUEST_URI} =~ m#^${base}_astro/#">`,
    `    Header always set Cache-Control "${IMMUTABLE_CACHE}"`,
    '</If>',
  ].join('\n');
}

function caddy(base: string): string {
  return [
    `# Caddy: a site block of your Caddyfile. Copy the contents of dist/ to /var/www${base}`,
    'example.org {',
    '\troot * /var/www',
    `\theader ${base}* {`,
    ...headers.map(([k, v]) => `\t\t${k} ${/\s/.test(v) ? `"${v}"` : v}`),
    '\t}',
    `\theader ${base}_astro/* Cache-Control "${IMMUTABLE_CACHE}"`,
    '\tfile_server',
    '\thandle_errors {',
    '\t\t@missing expression {err.status_code} == 404',
    '\t\thandle @missing {',
    `\t\t\trewrite * ${base}404.html`,
    '\t\t\tfile_server',
    '\t\t}',
    '\t}',
    '}',
  ].join('\n');
}

function vercel(): string {
  const list = (pairs: Array<[string, string]>) => pairs.map(([key, value]) => ({ key, value }));
  const config = {
    buildCommand: 'npm run build',
    outputDirectory: 'dist',
    headers: [
      { source: '/(.*)', headers: list(headers) },
      { source: '/_astro/(.*)', headers: list([['Cache-Control', IMMUTABLE_CACHE]]) },
    ],
  };
  return JSON.stringify(config, null, 2);
}

/** The snippet for a host. Vercel serves a project at the root of its domain: its snippet is for a build without SITE_BASE. */
export function hostConfig(host: Host, base: string): string {
  switch (host) {
    case 'nginx':
      return nginx(base);
    case 'apache':
      return apache(base);
    case 'caddy':
      return caddy(base);
    case 'vercel':
      return vercel();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [host, base = '/'] = process.argv.slice(2);
  if (!HOSTS.includes(host as Host)) {
    console.error(`usage: npx node src/publish/host-config.ts ${HOSTS.join('|')} [base path, e.g. /tcp-lab/]`);
    process.exit(2);
  }
  const { normaliseBase } = await import('./site-config.ts');
  console.log(hostConfig(host as Host, normaliseBase(base)));
}
