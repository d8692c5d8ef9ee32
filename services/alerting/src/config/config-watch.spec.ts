import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configDigest, ConfigWatch } from './config-watch';

describe('config watch', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-watch-'));
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.writeFileSync(path.join(dir, 'rules', 'a.yml'), 'groups: []\n');
    file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, 'route: {receiver: x}\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the digest changes with a rule file, a new rule file or the routing file, not with other files', () => {
    const rules = path.join(dir, 'rules');
    const d0 = configDigest(rules, file);
    fs.writeFileSync(path.join(rules, 'notes.txt'), 'ignored');
    expect(configDigest(rules, file)).toBe(d0);
    fs.writeFileSync(path.join(rules, 'a.yml'), 'groups: [] # edited\n');
    const d1 = configDigest(rules, file);
    expect(d1).not.toBe(d0);
    fs.writeFileSync(path.join(rules, 'b.yaml'), 'groups: []\n');
    const d2 = configDigest(rules, file);
    expect(d2).not.toBe(d1);
    fs.writeFileSync(file, 'route: {receiver: y}\n');
    expect(configDigest(rules, file)).not.toBe(d2);
  });

  it('calls back once the routing file is replaced with new content', async () => {
    const changed = new Promise<void>((resolve) => {
      const watch = new ConfigWatch(path.join(dir, 'rules'), file, () => {
        watch.stop();
        resolve();
      }, 50);
      watch.start();
      // Replaced as editors and config maps do: a new file renamed over the old one.
      fs.writeFileSync(`${file}.tmp`, 'route: {receiver: z}\n');
      fs.renameSync(`${file}.tmp`, file);
    });
    await expect(changed).resolves.toBeUndefined();
  });
});
