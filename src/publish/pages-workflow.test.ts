import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { siteConfigFromEnv } from './site-config.ts';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push: { branches: string[] }; workflow_dispatch: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, { needs?: string; 'runs-on': string; environment?: { name: string; url: string }; steps: Step[] }>;
}

const text = readFileSync(new URL('../../.github/workflows/pages.yml', import.meta.url), 'utf8');

describe('the GitHub Pages workflow', () => {
  const workflow = parse(text, { strict: true, uniqueKeys: true }) as Workflow;
  const build = workflow.jobs['build']!;
  const deploy = workflow.jobs['deploy']!;
  const uses = (steps: Step[], action: string) => steps.find((s) => s.uses?.startsWith(`${action}@`));

  test('is valid YAML that runs on pushes to main and by hand, with the rights Pages deployments need', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
  });

  test('builds with the Pages address as SITE_BASE and SITE_URL, from the standard configure-pages step', () => {
    const configure = uses(build.steps, 'actions/configure-pages');
    expect(configure?.id).toBe('pages');
    const buildStep = build.steps.find((s) => s.run === 'npm run build');
    expect(buildStep?.env).toEqual({ SITE_BASE: '${{ steps.pages.outputs.base_path }}', SITE_URL: '${{ steps.pages.outputs.origin }}' });
    expect(build.steps.indexOf(configure!)).toBeLessThan(build.steps.indexOf(buildStep!));
    expect(build.steps.findIndex((s) => s.run === 'npm ci')).toBeLessThan(build.steps.indexOf(buildStep!));
    // What configure-pages gives for a project site, and for a user site or custom domain, builds.
    expect(siteConfigFromEnv({ SITE_BASE: '/tcp-lab', SITE_URL: 'https://me.github.io' })).toEqual({ version: 1, base: '/tcp-lab/', site: 'https://me.github.io' });
    expect(siteConfigFromEnv({ SITE_BASE: '', SITE_URL: 'https://course.example.org' }).base).toBe('/');
  });

  test('uploads dist/ and deploys it with the standard Pages actions', () => {
    expect(uses(build.steps, 'actions/upload-pages-artifact')?.with).toEqual({ path: 'dist' });
    expect(deploy.needs).toBe('build');
    expect(deploy.environment?.name).toBe('github-pages');
    const deployStep = uses(deploy.steps, 'actions/deploy-pages');
    expect(deployStep?.id).toBe('deployment');
    expect(deploy.environment?.url).toBe('${{ steps.deployment.outputs.page_url }}');
  });
});
