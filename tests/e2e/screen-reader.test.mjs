// A real screen reader on the demo's contact form: Orca (tests/e2e/orca.mjs) reading a
// headed Chromium (or, with BROWSER=firefox, Firefox ESR) on a private Xvfb display,
// driven by keys sent through X. A blind visitor tabs through the form in Vietnamese,
// types an invalid phone number, leaves the field and comes back, sends without the
// consultation consent, follows the error summary back to the field, corrects it,
// ticks the consent, opens its Details, sends, and reaches the receipt. What Orca said
// at each step is written to tests/out/[firefox/]screen-reader.txt, and checked:
// each field said with its label, "required" and its hint, never "invalid" before the
// form says so; the error, when the field is back in focus; the summary once, in
// order; "Đang gửi…" and "Đã gửi…" once each; the receipt by its title.
//
// Needs Debian's orca, xvfb, xdotool, dbus-x11 and at-spi2-core (skipped, saying so,
// without them). Run: node --test tests/e2e/screen-reader.test.mjs (after `npm run
// build`), about 80 s; BROWSER=firefox for Firefox ESR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { missingTools, withOrca } from './orca.mjs';
import { browserName, root, startServer } from './server.mjs';

const missing = missingTools();
const skip = missing.length > 0 && `Orca is not installed: apt-get install -y ${missing.join(' ')}`;
const firefox = browserName === 'firefox';
const out = `${root}tests/out/${firefox ? 'firefox/' : ''}`;

const SENTENCE = 'Tôi đồng ý để Công ty TNHH Ví Dụ sử dụng thông tin tôi điền trong biểu mẫu này';
const PHONE_ERROR = 'Không có số điện thoại Việt Nam nào bắt đầu bằng 0123.';
const CONSULTATION_ERROR = 'Để gửi yêu cầu, bạn cần đồng ý cho chúng tôi liên hệ tư vấn (mục đầu tiên).';
const PHONE_HINT = 'Ví dụ: 0902 666 984 hoặc +84 902 666 984';

/** How many times `part` occurs in what was said. */
const times = (said, part) => said.join(' ').split(part).length - 1;

test(`Orca reads the contact form in ${browserName}: labels, required, hints, errors, the summary, the status and the receipt, each once`, { skip, timeout: 300_000 }, async () => {
  const server = await startServer();
  const sr = await withOrca({ browser: browserName });
  const { page } = sr;
  const transcript = [];
  // Every check that fails, with the step it failed at: all are reported at the end,
  // each step's speech being worth reading whatever went wrong before it.
  const problems = [];
  const expect = (check) => {
    try {
      check();
    } catch (e) {
      problems.push(`${transcript.at(-1)?.title}: ${e.message}`);
    }
  };
  const focused = () =>
    page.evaluate(() => {
      const a = document.querySelector('#contact')?.shadowRoot?.activeElement;
      if (!a) return document.activeElement?.tagName.toLowerCase() ?? '';
      return `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''}${a.classList[0] ? `.${a.classList[0]}` : ''}`;
    });
  /** Runs `action` (a visitor's key), resolves to what Orca said after it. */
  const step = async (title, action, opts) => {
    const said = await sr.say(action, opts);
    transcript.push({ title, focus: await focused(), said });
    return said;
  };
  /** Tab until focus is on what `want` matches; resolves to what was said there. */
  const tabTo = async (want) => {
    for (let i = 0; i < 25; i++) {
      const said = await step('Tab', () => sr.key('Tab'));
      if (transcript.at(-1).focus.includes(want)) return said;
    }
    throw new Error(`no ${want} after 25 × Tab`);
  };
  try {
    await step('the page loads', async () => {
      await page.goto(server.url);
      await page.locator('#contact input[name=name]').waitFor();
      await page.locator('#callback input[name=name]').waitFor();
    }, { quiet: 3000, max: 60_000 });
    sr.focusWindow();
    // Firefox leaves the keyboard in its address bar after a navigation: a click on the
    // page's heading puts it in the page, before the form.
    if (firefox) await step('clicks the page’s heading', () => sr.click('h1'));

    let said = await tabTo('#cf-name');
    expect(() => assert.match(said.join(' '), /Họ và tên \(bắt buộc\) entry required/, 'the name: label, required'));
    expect(() => assert.equal(times(said, 'invalid'), 0, `the fresh name is not said to be invalid: ${said}`));
    await step('types a name', () => sr.type('Nguyễn Văn An'));
    said = await tabTo('#cf-phone');
    expect(() => assert.match(said.join(' '), /Số điện thoại \(bắt buộc\) entry required/, 'the phone: label, required'));
    expect(() => assert.equal(times(said, PHONE_HINT), 1, `the phone's hint, once: ${said}`));
    expect(() => assert.equal(times(said, 'invalid'), 0, `the fresh phone is not said to be invalid: ${said}`));
    await step('types an invalid number', () => sr.type('0123 45'));
    said = await step('leaves the field (Tab)', () => sr.key('Tab'));
    expect(() => assert.match(said.join(' '), /Email \(không bắt buộc\) entry/, 'the e-mail: label, optional'));
    expect(() => assert.match(said.join(' '), /Ví dụ: ten@congty\.vn/, 'the e-mail’s hint'));
    said = await step('comes back (Shift+Tab)', () => sr.key('shift+Tab'), { until: (s) => s.join(' ').includes(PHONE_ERROR) });
    expect(() => assert.match(said.join(' '), /invalid entry/, 'back on the phone: invalid'));
    expect(() => assert.ok(times(said, PHONE_ERROR) >= 1, `back on the phone: its error: ${said}`));

    said = await tabTo('#cf-consent-consultation');
    expect(() => assert.match(said.join(' '), new RegExp(`${SENTENCE}.*\\(cần để gửi yêu cầu\\) check box not checked required`), 'the consultation consent: its sentence, required'));
    said = await tabTo('summary');
    expect(() => assert.match(said.join(' '), new RegExp(`Chi tiết: ${SENTENCE}.*collapsed`), 'its Details, named with its sentence'));
    said = await tabTo('#cf-consent-marketing');
    expect(() => assert.match(said.join(' '), /\(tùy chọn\) check box not checked/, 'the marketing consent, optional'));
    expect(() => assert.doesNotMatch(said.join(' '), /required/));
    said = await tabTo('#cf-consent-call_recording');
    expect(() => assert.match(said.join(' '), /ghi âm cuộc gọi.*\(tùy chọn\) check box not checked/, 'the call recording consent, a box of its own'));

    await tabTo('.cf-submit');
    said = await step('sends without the consultation consent (Enter)', () => sr.key('Return'), {
      quiet: 2500,
      until: (s) => s.join(' ').includes(CONSULTATION_ERROR),
    });
    expect(() => assert.equal(transcript.at(-1).focus, 'div.cf-summary', 'the summary takes focus'));
    const summary = said.join(' ');
    expect(() => assert.equal(times(said, 'Vui lòng kiểm tra lại 2 mục sau:'), 1, `the summary's title, once: ${JSON.stringify(said)}`));
    expect(() => assert.equal(times(said, PHONE_ERROR), 1, `the phone's problem, once: ${JSON.stringify(said)}`));
    expect(() => assert.equal(times(said, CONSULTATION_ERROR), 1, `the consent's problem, once: ${JSON.stringify(said)}`));
    expect(() => assert.ok(summary.indexOf('Vui lòng') < summary.indexOf(PHONE_ERROR) && summary.indexOf(PHONE_ERROR) < summary.indexOf(CONSULTATION_ERROR), `in order: ${summary}`));

    said = await step('Tab', () => sr.key('Tab'));
    expect(() => assert.match(said.join(' '), new RegExp(`Số điện thoại: ${PHONE_ERROR.replace(/[.()+]/g, '\\$&')} link`), 'the summary’s first entry, a link'));
    said = await step('follows it (Enter)', () => sr.key('Return'));
    expect(() => assert.equal(transcript.at(-1).focus, 'input#cf-phone'));
    expect(() => assert.match(said.join(' '), /Số điện thoại \(bắt buộc\) entry 0123 45.*invalid entry/, 'on the phone again, invalid'));
    await step('selects the number (Ctrl+A)', () => sr.key('ctrl+a'));
    said = await step('types a valid number', () => sr.type('0902 666 984'), { until: (s) => s.join(' ').includes('Số hợp lệ') });
    expect(() => assert.match(said.at(-1), /^Số hợp lệ: 0902 666 984/, 'the last thing said: the number is valid'));

    said = await tabTo('#cf-consent-consultation');
    expect(() => assert.match(said.join(' '), /check box not checked required.*invalid entry/, 'the consent, now invalid'));
    expect(() => assert.equal(times(said, CONSULTATION_ERROR), 1, `and why, once: ${said}`));
    said = await step('ticks it (Space)', () => sr.key('space'));
    expect(() => assert.deepEqual(said, ['checked']));
    await step('Tab to its Details', () => sr.key('Tab'));
    said = await step('opens them (Enter)', () => sr.key('Return'));
    expect(() => assert.deepEqual(said, ['expanded']));

    await tabTo('.cf-submit');
    said = await step('sends (Enter)', () => sr.key('Return'), {
      quiet: 3000,
      max: 30_000,
      until: (s) => s.join(' ').includes('Đã gửi'),
    });
    expect(() => assert.equal(transcript.at(-1).focus, 'section.cf-receipt', 'the receipt takes focus'));
    expect(() => assert.equal(times(said, 'Đang gửi…'), 1, `"sending", once: ${JSON.stringify(said)}`));
    expect(() => assert.equal(times(said, 'Đã gửi. Cảm ơn bạn, chúng tôi sẽ sớm liên hệ!'), 1, `"sent", once: ${JSON.stringify(said)}`));
    expect(() => assert.equal(times(said, 'Biên nhận sự đồng ý'), 1, `the receipt's title, once: ${JSON.stringify(said)}`));
    expect(() => assert.match(said.join(' '), /Biên nhận sự đồng ý region/, 'the receipt, a region named by its title'));
  } finally {
    mkdirSync(out, { recursive: true });
    const text = transcript
      .map(({ title, focus, said }) => [`## ${title}   [focus: ${focus}]`, ...said.map((s) => `  «${s}»`)].join('\n'))
      .join('\n\n');
    writeFileSync(`${out}screen-reader.txt`, `${text}\n`);
    await sr.close(`${out}screen-reader-orca.log`);
    await server.stop();
  }
  assert.deepEqual(problems, [], `what Orca said is in ${out}screen-reader.txt`);
});
