import { describe, expect, test } from 'vitest';
import { parseQuestion, questionIdFromFile, countWords, type InterviewQuestion } from './interview-schema.ts';
import { checkQuestionBank, resolveProof, scenarioHref, type LinkTargets } from './interview-links.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const good = {
  question: 'Why does TIME_WAIT exist?',
  topic: 'time-wait',
  level: 'basic',
  order: 1,
  short: words(60),
  long: [words(80), words(80)],
  wrong: { answer: 'To wait for the rest of the data.', why: 'Both FINs have already been exchanged.' },
  proof: [{ kind: 'lesson', lesson: 'time-wait' }],
};
const FILE = 'content/interview/why-time-wait.json';

describe('interview question schema', () => {
  test('accepts a complete question, takes its id from the file name and defaults the optional fields', () => {
    const q = parseQuestion(FILE, good);
    expect(q.id).toBe('why-time-wait');
    expect(q.fromArticle).toBe(false);
    expect(q.sources).toEqual([]);
  });

  test('a missing 2-minute answer fails, naming the file and the field', () => {
    const { long: _omit, ...noLong } = good;
    expect(() => parseQuestion(FILE, noLong)).toThrow(/content\/interview\/why-time-wait\.json[\s\S]*field "long": is required but missing/);
  });

  test('an empty 30-second answer fails', () => {
    expect(() => parseQuestion(FILE, { ...good, short: '   ' })).toThrow(/field "short"/);
  });

  test('a 30-second answer that cannot be said in 30 seconds fails, with its word count', () => {
    expect(() => parseQuestion(FILE, { ...good, short: words(140) })).toThrow(/field "short": a 30-second answer has at most 95 words; this one has 140/);
  });

  test('a 2-minute answer outside its length fails', () => {
    expect(() => parseQuestion(FILE, { ...good, long: [words(20)] })).toThrow(/field "long": a 2-minute answer/);
    expect(() => parseQuestion(FILE, { ...good, long: [words(500)] })).toThrow(/field "long"/);
  });

  test('a question with no link fails', () => {
    expect(() => parseQuestion(FILE, { ...good, proof: [] })).toThrow(/field "proof"/);
  });

  test('a link of an unknown kind, or a lab link without its label, fails naming where', () => {
    expect(() => parseQuestion(FILE, { ...good, proof: [{ kind: 'video', url: 'x' }] })).toThrow(/field "proof\[0\]/);
    expect(() => parseQuestion(FILE, { ...good, proof: [{ kind: 'lab', scenario: '16-self-connect' }] })).toThrow(/field "proof\[0\]\.label"/);
  });

  test('an unknown topic or level, or a misspelt field, fails', () => {
    expect(() => parseQuestion(FILE, { ...good, topic: 'tls' })).toThrow(/field "topic"/);
    expect(() => parseQuestion(FILE, { ...good, level: 'expert' })).toThrow(/field "level"/);
    expect(() => parseQuestion(FILE, { ...good, shrot: 'x' })).toThrow(/shrot/);
  });

  test('a source must be an https address', () => {
    expect(() => parseQuestion(FILE, { ...good, sources: [{ label: 'RFC', href: 'javascript:alert(1)' }] })).toThrow(/field "sources\[0\]\.href"/);
  });

  test('a file name that cannot be an id fails', () => {
    expect(() => parseQuestion('content/interview/Why TIME_WAIT.json', good)).toThrow(/file name/);
  });

  test('ids come from file names; words are counted as a speaker would say them', () => {
    expect(questionIdFromFile('/a/b/content/interview/rst-vs-fin.json')).toBe('rst-vs-fin');
    expect(countWords('FIN, ACK, FIN, ACK: four segments — `ss -tan`')).toBe(8);
  });
});

describe('interview links', () => {
  const targets: LinkTargets = {
    lessons: new Map([['time-wait', { title: 'TIME_WAIT', order: 12, href: '/lessons/time-wait/' }]]),
    goals: new Map([['lost-last-ack', { task: 'Lose the last ACK', lesson: 'time-wait' }]]),
    exercises: new Map([['four-way-close', { title: "Answer after the client's FIN" }]]),
    scenarios: new Set(['18-time-wait-lost-ack']),
  };
  const q = (proof: unknown[], question = good.question, id = 'q'): InterviewQuestion => ({ ...parseQuestion(`content/interview/${id}.json`, { ...good, question, proof }) });

  test('links to what exists resolve to addresses and labels', () => {
    const question = q([
      { kind: 'lesson', lesson: 'time-wait' },
      { kind: 'goal', goal: 'lost-last-ack' },
      { kind: 'exercise', exercise: 'four-way-close' },
      { kind: 'lab', scenario: '18-time-wait-lost-ack', label: 'The FIN comes again' },
    ]);
    expect(() => checkQuestionBank([question], targets)).not.toThrow();
    expect(question.proof.map((p) => resolveProof(p, targets))).toEqual([
      { kind: 'lesson', href: '/lessons/time-wait/', what: 'Lesson 12', label: 'TIME_WAIT' },
      { kind: 'goal', href: '/lessons/time-wait/', what: 'Lab goal, lesson 12', label: 'Lose the last ACK' },
      { kind: 'exercise', href: '/exercises/four-way-close/', what: 'Node exercise', label: "Answer after the client's FIN" },
      { kind: 'lab', href: '/sandbox/?scenario=18-time-wait-lost-ack', what: 'Run it in the lab', label: 'The FIN comes again' },
    ]);
  });

  test('every broken link is reported at once, each with its file and field', () => {
    const question = q([
      { kind: 'lesson', lesson: 'no-such-lesson' },
      { kind: 'goal', goal: 'no-such-goal' },
      { kind: 'exercise', exercise: 'nope' },
      { kind: 'lab', scenario: '99-missing', label: 'x' },
    ]);
    let message = '';
    try {
      checkQuestionBank([question], targets);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'content/interview/q.json: proof[0]: field "lesson": no lesson with the slug "no-such-lesson"',
      'content/interview/q.json: proof[1]: field "goal": no lab goal "no-such-goal" (content/labs/no-such-goal.json, a lab checkpoint of a lesson)',
      'content/interview/q.json: proof[2]: field "exercise": no exercise content/exercises/nope/',
      'content/interview/q.json: proof[3]: field "scenario": no scenario content/scenarios/99-missing.tcplab',
    ]);
  });

  test('the same question asked twice is refused', () => {
    const a = q([{ kind: 'lesson', lesson: 'time-wait' }], 'Why does TIME_WAIT exist?', 'a');
    const b = q([{ kind: 'lesson', lesson: 'time-wait' }], 'why does time_wait exist', 'b');
    expect(() => checkQuestionBank([a, b], targets)).toThrow('content/interview/b.json: field "question": the same question is already asked by content/interview/a.json');
  });

  test('two questions of one topic at the same position are refused', () => {
    const a = q([{ kind: 'lesson', lesson: 'time-wait' }], 'Why does TIME_WAIT exist?', 'a');
    const b = { ...q([{ kind: 'lesson', lesson: 'time-wait' }], 'How long does TIME_WAIT last?', 'b'), order: a.order };
    expect(() => checkQuestionBank([a, b], targets)).toThrow('content/interview/b.json: field "order": 1 is already used in topic "time-wait" by content/interview/a.json');
  });

  test('a scenario name is passed to the sandbox safely encoded', () => {
    expect(scenarioHref('16-self-connect')).toBe('/sandbox/?scenario=16-self-connect');
  });
});
