// Saving a document: ask where (the default folder and a suggested name filled in), run the
// command that writes the PDF, then offer to open it in the system's viewer to read and print it.

import { call } from '../../api.js';
import { html } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { openDialog } from '../dialog/dialog.js';
import { toast } from '../toast/toast.js';

let folder = null;

/** `Documents/兜底` on this machine, asked once. */
async function defaultFolder() {
  if (folder === null) folder = (await call('document.folder')).folder;
  return folder;
}

/** Join a folder and a file name with the folder's own separator. */
export function joinPath(dir, name) {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/**
 * Ask for a path, then run `command` with `input` plus that path. `extra` adds inputs to the
 * dialog (field descriptors); `title` names the document.
 */
export async function saveDocument({ title, command, input, fileName, extra = [], format = 'pdf' }) {
  const path = joinPath(await defaultFolder(), fileName);
  const kind = format === 'xlsx' ? 'Excel' : 'PDF';
  const saved = await openDialog({
    title: `保存${title}`,
    submitLabel: `保存为 ${kind}`,
    wide: true,
    body: html`${extra.map((f) => field(f))}
      ${field({ name: 'path', label: '保存到', value: path, wide: true, required: '请填写保存位置', hint: `文件名须以 .${format} 结尾；文件夹不存在时会自动创建` })}`,
    run: (values) => call(command, { ...input, ...values }),
  });
  if (!saved) return null;
  toast(`${title}已保存：${saved.path}`);
  const open = await openDialog({
    title: `${title}已保存`,
    submitLabel: '打开（查看和打印）',
    body: html`<p class="dialog-message">已保存到 <span class="mono">${saved.path}</span>。</p>
      <p class="muted">用电脑上的 ${kind === 'PDF' ? 'PDF 阅读器' : '表格软件（Excel、WPS）'}打开后可以查看和打印。</p>`,
    run: () => call('document.open', { path: saved.path }),
  });
  if (open) toast(kind === 'PDF' ? '已在 PDF 阅读器中打开' : '已用表格软件打开');
  return saved;
}
