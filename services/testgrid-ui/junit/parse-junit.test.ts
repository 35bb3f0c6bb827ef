import { describe, expect, it } from 'vitest';
import { TestStatus } from '../grid/status.ts';
import { junitFixture } from '../testing/fixtures.ts';
import { MalformedJUnitError, maxJUnitString, parseJUnit } from './parse-junit.ts';

const parse = (name: string) => parseJUnit(name, junitFixture(name));
const byName = (name: string) => new Map(parse(name).cases.map((c) => [c.name, c]));

describe('parseJUnit', () => {
  it('reads go-junit-report: package-prefixed names, failures, skips with messages, build errors, suite properties', () => {
    const result = parse('go-junit-report.xml');
    expect(result.cases.map((c) => [c.name, c.status])).toEqual([
      ['github.com/acme/widgets/pkg/spin.TestSpin', TestStatus.PASS],
      ['github.com/acme/widgets/pkg/spin.TestSpin/clockwise', TestStatus.PASS],
      ['github.com/acme/widgets/pkg/spin.TestSpinFast', TestStatus.FAIL],
      ['github.com/acme/widgets/pkg/spin.TestSpinOnWindows', TestStatus.PASS_WITH_SKIPS],
      ['github.com/acme/widgets/pkg/gears.[build failed]', TestStatus.FAIL],
    ]);
    const cases = byName('go-junit-report.xml');
    expect(cases.get('github.com/acme/widgets/pkg/spin.TestSpinFast')).toMatchObject({
      seconds: 0.391,
      classname: 'github.com/acme/widgets/pkg/spin',
      message: 'Failed\nspin_test.go:42: expected 3000 rpm, got 2990',
    });
    expect(cases.get('github.com/acme/widgets/pkg/spin.TestSpinOnWindows')?.message).toBe('spin_test.go:58: only on windows');
    expect(cases.get('github.com/acme/widgets/pkg/gears.[build failed]')?.message).toBe('Build error\npkg/gears/gear.go:12:2: undefined: teeth');
    expect(result.suites[0]).toEqual({ name: 'github.com/acme/widgets/pkg/spin', properties: { 'go.version': 'go1.22.1 linux/amd64' } });
  });

  it('keeps every occurrence of a repeated name (gotestsum -count / rerun-fails) for the build to merge', () => {
    const cases = parse('gotestsum.xml').cases.filter((c) => c.name.endsWith('TestConcurrentPop'));
    expect(cases.map((c) => c.status)).toEqual([TestStatus.FAIL, TestStatus.PASS]);
    expect(cases[0]?.message).toContain('got 9 items, want 10');
  });

  it('reads pytest xunit2: setup errors fail, skips keep their reason, parametrised names stay whole', () => {
    const cases = byName('pytest-xunit2.xml');
    expect(cases.get('pytest.test_widget_colour[red]')?.status).toBe(TestStatus.PASS);
    expect(cases.get('pytest.test_widget_colour[blue]')).toMatchObject({ status: TestStatus.FAIL, classname: 'tests.test_widgets' });
    expect(cases.get('pytest.test_widget_colour[blue]')?.message).toMatch(/^AssertionError: assert 'navy' == 'blue'\n/);
    expect(cases.get('pytest.test_connect')?.message).toMatch(/^failed on setup with "ConnectionRefusedError/);
    expect(cases.get('pytest.test_windows_paths')).toMatchObject({ status: TestStatus.PASS_WITH_SKIPS, message: 'requires windows\ntests/test_db.py:20: requires windows' });
  });

  it('reads an older pytest <testsuite> root with xunit1 testcase properties and system-out as the message', () => {
    const cases = byName('pytest-xunit1-legacy.xml');
    expect(cases.get('pytest.test_spin_rate')).toEqual({
      name: 'pytest.test_spin_rate',
      classname: 'tests.test_speed',
      status: TestStatus.PASS,
      seconds: 0.051,
      message: 'spun 3 times',
      properties: { rpm: '2998.5', host: 'ci-runner-3' },
    });
  });

  it('reads Maven Surefire: FQCN suite, error and failure fail, reruns that passed are FLAKY, Java time with commas', () => {
    const cases = byName('TEST-com.acme.widgets.SpinnerTest.xml');
    expect([...cases.values()].map((c) => [c.name, c.status])).toEqual([
      ['com.acme.widgets.SpinnerTest.spinsClockwise', TestStatus.PASS],
      ['com.acme.widgets.SpinnerTest.stopsOnRequest', TestStatus.FAIL],
      ['com.acme.widgets.SpinnerTest.survivesRestart', TestStatus.FLAKY],
      ['com.acme.widgets.SpinnerTest.loadsConfig', TestStatus.FAIL],
    ]);
    expect(cases.get('com.acme.widgets.SpinnerTest.stopsOnRequest')?.seconds).toBe(1204.5);
    expect(cases.get('com.acme.widgets.SpinnerTest.stopsOnRequest')?.message).toMatch(/^expected: <0> but was: <12>\norg\.opentest4j/);
    expect(cases.get('com.acme.widgets.SpinnerTest.survivesRestart')?.message).toBe('timed out after 200 ms');
  });

  it('reads jest-junit: failures without a message attribute, bare <skipped/> dropped as TestGrid drops it', () => {
    const cases = byName('jest-junit.xml');
    expect([...cases.keys()]).toEqual(['Widget rendering.Widget rendering renders a label', 'Widget rendering.Widget rendering renders an icon', 'Widget rendering.Widget rendering is accessible']);
    expect(cases.get('Widget rendering.Widget rendering renders an icon')?.message).toMatch(/^Error: expect\(received\)\.toBe\(expected\)/);
  });

  it('reads Ginkgo v2: [It] names under the suite, short failure message first, bare skips dropped, system-err kept', () => {
    const cases = byName('junit_01.xml');
    expect([...cases.keys()]).toEqual([
      'Kubernetes e2e suite.[SynchronizedBeforeSuite]',
      'Kubernetes e2e suite.[It] [sig-apps] Deployment should run the lifecycle of a Deployment [Conformance]',
      'Kubernetes e2e suite.[ReportAfterSuite] Kubernetes e2e suite report',
    ]);
    expect(cases.get('Kubernetes e2e suite.[It] [sig-apps] Deployment should run the lifecycle of a Deployment [Conformance]')?.message).toMatch(
      /^\[FAILED\] timed out waiting for the condition\n\[FAILED\]/,
    );
    expect(cases.get('Kubernetes e2e suite.[SynchronizedBeforeSuite]')?.message).toBe('STEP: creating namespace');
    expect(parse('junit_01.xml').suites[0]?.properties.SuiteSucceeded).toBe('false');
  });

  it('reads Bazel test.xml and dot-joins nested suites, dropping empty names', () => {
    expect(parse('test.xml').cases).toEqual([{ name: '//widgets/spin:spin_test.//widgets/spin:spin_test', status: TestStatus.PASS, seconds: 3 }]);
    expect(parse('junit_nested.xml').cases.map((c) => c.name)).toEqual(['integration.boots', 'integration.api.lists widgets', 'integration.api.creates widgets']);
  });

  it('gives a MalformedJUnitError naming the file and the line for broken XML, a wrong root or a foreign charset', () => {
    expect(() => parse('junit_broken.xml')).toThrow(MalformedJUnitError);
    expect(() => parse('junit_broken.xml')).toThrow(/^junit_broken\.xml: line \d+ column \d+: /);
    expect(() => parseJUnit('artifacts/junit_x.xml', '<results><test/></results>')).toThrow(/artifacts\/junit_x\.xml: the root element is <results>/);
    expect(() => parseJUnit('junit_l1.xml', '<?xml version="1.0" encoding="ISO-8859-1"?><testsuite/>')).toThrow(/encoding "ISO-8859-1"/);
    try {
      parse('junit_broken.xml');
    } catch (err) {
      expect((err as MalformedJUnitError).file).toBe('junit_broken.xml');
    }
  });

  it('reads character data as XML does: text and CDATA joined as written, comments left out, a reference decoded once', () => {
    const xml = '<testsuite name="s"><testcase name="t"><failure message="a&amp;#10;b">x <![CDATA[<y>]]> z<!-- note --> w</failure></testcase></testsuite>';
    expect(parseJUnit('junit_x.xml', xml).cases[0]?.message).toBe('a&#10;b\nx <y> z w');
    expect(() => parseJUnit('junit_x.xml', '<testsuite>\n<testcase name=t/></testsuite>')).toThrow(/^junit_x\.xml: line 2 column 16: the value of attribute name of <testcase> is not in quotes/);
    expect(() => parseJUnit('junit_x.xml', '<?xml version="1.0"?><!-- nothing -->')).toThrow(/^junit_x\.xml: there is no root element/);
  });

  it('reads an empty file as no results and truncates long messages', () => {
    expect(parseJUnit('junit_empty.xml', '')).toEqual({ cases: [], suites: [] });
    const long = 'x'.repeat(maxJUnitString + 50);
    const [c] = parseJUnit('junit_long.xml', `<testsuite name="s"><testcase name="t"><failure>${long}</failure></testcase></testsuite>`).cases;
    expect(c?.message).toHaveLength(maxJUnitString);
  });
});
