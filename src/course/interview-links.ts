/**
 * The "prove it" links of interview questions: checked against what the site really has (a link to a lesson,
 * lab goal, exercise or scenario that does not exist fails the build, naming the file and the field), then
 * turned into addresses and labels.
 */
import { InterviewContentError, type InterviewQuestion, type Proof } from './interview-schema.ts';

export interface LinkTargets {
  /** Lessons by slug. */
  lessons: ReadonlyMap<string, { title: string; order: number; href: string }>;
  /** Lab goals by checkpoint id, with the slug of the lesson whose lab grades them. */
  goals: ReadonlyMap<string, { task: string; lesson: string }>;
  /** Node exercises by id. */
  exercises: ReadonlyMap<string, { title: string }>;
  /** Scenario names (content/scenarios/<name>.tcplab). */
  scenarios: ReadonlySet<string>;
}

export interface ResolvedProof {
  kind: Proof['kind'];
  href: string;
  /** What kind of proof, in words: "Lesson 12", "Lab goal", "Exercise", "Run it". */
  what: string;
  label: string;
}

/** The sandbox opens a scenario given by name: /sandbox/?scenario=16-self-connect. */
export function scenarioHref(name: string): string {
  return `/sandbox/?scenario=${encodeURIComponent(name)}`;
}

function problemOf(proof: Proof, t: LinkTargets): string | null {
  switch (proof.kind) {
    case 'lesson':
      return t.lessons.has(proof.lesson) ? null : `field "lesson": no lesson with the slug "${proof.lesson}"`;
    case 'goal': {
      const goal = t.goals.get(proof.goal);
      if (!goal) return `field "goal": no lab goal "${proof.goal}" (content/labs/${proof.goal}.json, a lab checkpoint of a lesson)`;
      return t.lessons.has(goal.lesson) ? null : `field "goal": the lesson "${goal.lesson}" of lab goal "${proof.goal}" does not exist`;
    }
    case 'exercise':
      return t.exercises.has(proof.exercise) ? null : `field "exercise": no exercise content/exercises/${proof.exercise}/`;
    case 'lab':
      return t.scenarios.has(proof.scenario) ? null : `field "scenario": no scenario content/scenarios/${proof.scenario}.tcplab`;
  }
}

/**
 * The rules across the bank: every link of every question leads somewhere, no question is asked twice, and no two
 * questions of a topic share a position. Throws one error listing every problem, each with its file and field.
 */
export function checkQuestionBank(questions: readonly InterviewQuestion[], targets: LinkTargets): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const positions = new Map<string, string>();
  for (const q of questions) {
    const position = `${q.topic}#${q.order}`;
    const before = positions.get(position);
    if (before) problems.push(`${q.file}: field "order": ${q.order} is already used in topic "${q.topic}" by ${before}`);
    else positions.set(position, q.file);
    q.proof.forEach((p, i) => {
      const problem = problemOf(p, targets);
      if (problem) problems.push(`${q.file}: proof[${i}]: ${problem}`);
    });
    const key = q.question.toLowerCase().replace(/\W+/g, ' ').trim();
    const twin = seen.get(key);
    if (twin) problems.push(`${q.file}: field "question": the same question is already asked by ${twin}`);
    else seen.set(key, q.file);
  }
  if (problems.length > 0) throw new InterviewContentError(problems.join('\n'));
}

/** A checked link as an address and a label (call checkQuestionBank first). */
export function resolveProof(proof: Proof, t: LinkTargets): ResolvedProof {
  switch (proof.kind) {
    case 'lesson': {
      const l = t.lessons.get(proof.lesson)!;
      return { kind: 'lesson', href: l.href, what: `Lesson ${l.order}`, label: l.title };
    }
    case 'goal': {
      const g = t.goals.get(proof.goal)!;
      const l = t.lessons.get(g.lesson)!;
      return { kind: 'goal', href: l.href, what: `Lab goal, lesson ${l.order}`, label: g.task };
    }
    case 'exercise': {
      const e = t.exercises.get(proof.exercise)!;
      return { kind: 'exercise', href: `/exercises/${proof.exercise}/`, what: 'Node exercise', label: e.title };
    }
    case 'lab':
      return { kind: 'lab', href: scenarioHref(proof.scenario), what: 'Run it in the lab', label: proof.label };
  }
}
