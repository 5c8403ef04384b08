import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoFleet } from './demo-fleet.ts';
import { type ChatApp, startChatApp } from './server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../../test-artifacts');

/** Waits until the newest assistant bubble reaches `state`, then reads it. */
async function lastReply(page: Page, state: 'done' | 'cancelled') {
  await page.waitForFunction(
    (wanted) => [...document.querySelectorAll('.message.assistant')].at(-1)?.classList.contains(wanted),
    state,
  );
  const reply = page.locator('.message.assistant').last();
  return {
    text: (await reply.locator('.text').textContent()) ?? '',
    provider: await reply.getAttribute('data-provider'),
    meta: (await reply.locator('.meta').textContent()) ?? '',
  };
}

/** Records the length of the newest assistant bubble's text at every DOM change. */
async function watchReplyLengths(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lengths: number[] = [];
    Object.assign(window, { replyLengths: lengths });
    new MutationObserver(() => {
      const text = [...document.querySelectorAll('.message.assistant .text')].at(-1)?.textContent ?? '';
      lengths.push(text.length);
    }).observe(document.getElementById('messages') as HTMLElement, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}

async function ask(page: Page, prompt: string): Promise<void> {
  await page.fill('#prompt', prompt);
  await page.click('#send');
}

// One browser page walks through a user's session, so the tests below run in order.
describe('chat page in headless Chromium', () => {
  const fleet = createDemoFleet({ chunkDelayMs: 25 });
  const pageErrors: string[] = [];
  let app: ChatApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
      );
    }
    app = await startChatApp({ router: fleet.router });
    // launch() gives the browser a fresh temporary profile and deletes it on close.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 900, height: 640 } });
    page.setDefaultTimeout(5000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('is welcomed with the providers, then streams a reply word by word', async () => {
    await page.goto(app.url);
    await page.waitForSelector('#status.connected');
    expect(await page.locator('#provider option').allTextContents()).toEqual(['openai', 'anthropic']);
    expect(await page.inputValue('#provider')).toBe('openai');
    await page.waitForFunction(() => /^\d+ ms$/.test(document.getElementById('latency')?.textContent ?? ''));

    await watchReplyLengths(page);
    await ask(page, 'What is a WebSocket?');
    const reply = await lastReply(page, 'done');
    expect(reply.text).toBe('Sure! Quick answer to "What is a WebSocket?": keep it short and simple.');
    expect(reply.provider).toBe('openai');
    expect(reply.meta).toContain('mock-gpt-4o-mini');
    const lengths = await page.evaluate(() => (window as unknown as { replyLengths: number[] }).replyLengths);
    const partial = new Set(lengths.filter((length) => length > 0 && length < reply.text.length));
    expect(partial.size).toBeGreaterThanOrEqual(2);
    expect(await page.locator('.message.user').last().textContent()).toBe('What is a WebSocket?');
  });

  it('switches provider, and the next reply comes from the other backend', async () => {
    const openaiCalls = fleet.backends.openai.calls.length;
    await page.selectOption('#provider', 'anthropic');
    await page.waitForSelector('.message.system >> text=Switched to anthropic');

    await ask(page, 'Explain backoff');
    const reply = await lastReply(page, 'done');
    expect(reply.provider).toBe('anthropic');
    expect(reply.text).toBe(
      `I'd be glad to help with "Explain backoff". Let me think it through carefully, step by step.`,
    );
    expect(fleet.backends.anthropic.calls).toHaveLength(1);
    expect(fleet.backends.openai.calls).toHaveLength(openaiCalls);
  });

  it('cancels a long reply: the text stops, shows cancelled, and the backend stream ends', async () => {
    await ask(page, 'Tell me a long story');
    await page.waitForFunction(
      () =>
        ([...document.querySelectorAll('.message.assistant .text')].at(-1)?.textContent ?? '').length > 40,
    );
    await page.click('#cancel');
    const reply = await lastReply(page, 'cancelled');
    expect(reply.meta).toBe('Cancelled');
    expect(reply.text.length).toBeGreaterThan(40);
    expect(reply.text.length).toBeLessThan(600);
    await page.waitForTimeout(200); // several chunk delays: a still-running stream would grow the text
    expect(await page.locator('.message.assistant .text').last().textContent()).toBe(reply.text);
    expect(fleet.backends.anthropic.cancelledStreams).toBe(1);
    expect(await page.isDisabled('#cancel')).toBe(true);
    expect(await page.isEnabled('#send')).toBe(true);
  });

  it('reconnects after the server drops the socket, and chats again', async () => {
    const firstClient = await page.getAttribute('#status', 'data-client-id');
    for (const client of app.gateway.server.clients) client.terminate();
    await page.waitForSelector('#status.offline');
    await page.waitForSelector('#status.connected');
    expect(await page.getAttribute('#status', 'data-client-id')).not.toBe(firstClient);
    expect(await page.locator('.message.system').last().textContent()).toBe('Reconnected: new session');

    await ask(page, 'Still there?');
    // A new connection starts at the router's default provider.
    expect((await lastReply(page, 'done')).provider).toBe('openai');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: resolve(ARTIFACTS, 'ws-chat.png') });
  });
});
