/**
 * `tcplab classroom init DIR [--exercises ID,ID…] [--force]`: writes a GitHub Classroom assignment template —
 * a starter main.mjs per exercise, a README for students, the one-file grader (.tcplab/tcplab.mjs) and
 * .github/workflows/classroom.yml, which runs one `tcplab grade` test per exercise through GitHub Classroom's
 * autograding actions, so a class of any size is graded on GitHub's own runners.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exerciseIds, loadExercise } from '../grading/exercise-files.ts';
import type { ExerciseSpec } from '../grading/exercise-spec.ts';
import type { Command } from './main.ts';

export const CLASSROOM_USAGE = 'usage: tcplab classroom init DIR [--exercises ID,ID...] [--force]';

/** The grader inside the template, and how a test step calls it. */
export const GRADER_PATH = '.tcplab/tcplab.mjs';
export const gradeCommandFor = (id: string) => `node ${GRADER_PATH} grade ${id} exercises/${id}/main.mjs`;

/** GitHub Actions step ids: letters, digits, - and _, starting with a letter. */
const stepId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_');

export function workflow(ids: string[]): object {
  const tests = ids.map((id) => ({
    name: id,
    id: stepId(id),
    uses: 'classroom-resources/autograding-command-grader@v1',
    with: { 'test-name': id, command: gradeCommandFor(id), timeout: 2, 'max-score': 1 },
  }));
  return {
    name: 'Autograding Tests',
    on: ['push', 'repository_dispatch', 'workflow_dispatch'],
    permissions: { checks: 'write', actions: 'read', contents: 'read' },
    jobs: {
      'run-autograding-tests': {
        'runs-on': 'ubuntu-latest',
        if: "github.actor != 'github-classroom[bot]'",
        steps: [
          { name: 'Check out the code', uses: 'actions/checkout@v4' },
          { name: 'Set up Node', uses: 'actions/setup-node@v4', with: { 'node-version': 24 } },
          {
            name: 'A sandbox for the programs (bubblewrap)',
            // Ubuntu 24.04 restricts unprivileged user namespaces through AppArmor; the grader falls back to no
            // sandbox (with a warning) if this step cannot help: the runner is disposable and runs one student's code.
            run: ['sudo apt-get update -q', 'sudo apt-get install -y -q bubblewrap', 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 || true'].join('\n'),
          },
          ...tests,
          {
            name: 'Autograding Reporter',
            uses: 'classroom-resources/autograding-grading-reporter@v1',
            env: Object.fromEntries(ids.map((id) => [`${stepId(id).toUpperCase()}_RESULTS`, `\${{steps.${stepId(id)}.outputs.result}}`])),
            with: { runners: ids.map(stepId).join(',') },
          },
        ],
      },
    },
  };
}

function studentReadme(specs: ExerciseSpec[]): string {
  const lines = [
    '# TCP teardown: Node socket exercises',
    '',
    'Each folder under `exercises/` holds one exercise: write your program in its `main.mjs`. Every push runs the',
    "autograder on GitHub (the **Actions** tab shows each exercise's checks, expected and happened, with a hint).",
    '',
    '## Check your work on your own machine',
    '',
    'With Node.js 20 or newer:',
    '',
    '```sh',
    ...specs.map((s) => gradeCommandFor(s.id)),
    '```',
    '',
    'or `npm run grade:<exercise>` (for example `npm run grade:' + (specs[0]?.id ?? 'four-way-close') + '`). Exit status 0 means it passes,',
    'exactly as on GitHub. On Linux, install `bubblewrap` (`sudo apt-get install bubblewrap`) and your program runs',
    'in a sandbox, as it does for your instructor; elsewhere it runs without one and the grader says so.',
    '',
    '## Watch every segment: the course and its local runner',
    '',
    "The course's lessons explain each exercise, and its pages run your code three ways: on a simulated kernel",
    'that draws every segment, in the browser (WebContainer), and on your own machine. For the last one, clone the',
    'course and start it:',
    '',
    '```sh',
    'npm install && npm start',
    '```',
    '',
    '`npm start` prints a link with a one-time token: open **that link** (only you can use the local runner through',
    'it), go to the exercise, choose **This computer (local)**, paste your `main.mjs`, and use Run, Test and the Shell',
    '(`ss -tan`, `tcpdump -i lo`).',
    '',
    '## The exercises',
    '',
  ];
  for (const s of specs) {
    lines.push(`### ${s.title} (\`exercises/${s.id}/main.mjs\`)`, '', s.summary, '', ...s.task.map((t) => `- ${t}`), '');
  }
  return `${lines.join('\n')}\n`;
}

export const classroomCommand: Command = async (args, out, err) => {
  const [verb, dirArg, ...rest] = args;
  if (verb !== 'init' || !dirArg || dirArg.startsWith('-')) {
    err(CLASSROOM_USAGE);
    return 2;
  }
  const force = rest.includes('--force');
  const exIdx = rest.indexOf('--exercises');
  const all = exerciseIds();
  let ids = all;
  if (exIdx >= 0) {
    ids = (rest[exIdx + 1] ?? '').split(',').filter(Boolean);
    const unknown = ids.filter((id) => !all.includes(id));
    if (ids.length === 0 || unknown.length > 0) {
      err(`tcplab classroom: unknown exercise ${JSON.stringify(unknown[0] ?? '')}. Exercises: ${all.join(', ')}`);
      return 2;
    }
  }
  const bad = rest.find((a, i) => a.startsWith('-') && a !== '--force' && a !== '--exercises' && rest[i - 1] !== '--exercises');
  if (bad) {
    err(`tcplab classroom: unknown option ${bad}\n${CLASSROOM_USAGE}`);
    return 2;
  }
  const dir = resolve(dirArg);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !force) {
    err(`tcplab classroom: ${dirArg} is not empty (--force writes into it anyway)`);
    return 2;
  }
  const specs = ids.map((id) => loadExercise(id));
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  mkdirSync(join(dir, '.tcplab'), { recursive: true });
  for (const s of specs) {
    mkdirSync(join(dir, 'exercises', s.spec.id), { recursive: true });
    writeFileSync(join(dir, 'exercises', s.spec.id, 'main.mjs'), s.starter);
  }
  // esbuild and yaml load only for this command (the rest of the CLI runs without them).
  await (await import('./grader-bundle.ts')).bundleGrader(join(dir, GRADER_PATH));
  const { stringify } = await import('yaml');
  const header = '# Written by `tcplab classroom init`: one autograding test per exercise (tcplab grade, exit 0 = pass).\n';
  writeFileSync(join(dir, '.github/workflows/classroom.yml'), header + stringify(workflow(ids), { lineWidth: 0 }));
  writeFileSync(join(dir, 'README.md'), studentReadme(specs.map((s) => s.spec)));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ private: true, type: 'module', engines: { node: '>=20' }, scripts: Object.fromEntries(ids.map((id) => [`grade:${id}`, gradeCommandFor(id)])) }, null, 2)}\n`,
  );
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  out(`Wrote a GitHub Classroom assignment template with ${ids.length} exercise${ids.length === 1 ? '' : 's'} to ${dirArg}.\n`);
  out('Push it to a repository, mark it as a template, and use it as the starter code of a GitHub Classroom assignment.\n');
  return 0;
};
