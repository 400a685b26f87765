// 区划管理 (administrator): the tree county → township → village/community → group; add a
// child, rename, set urban/rural, deactivate.

import { call } from '../../api.js';
import { html, render } from '../../lib/html.js';
import { field } from '../../lib/forms.js';
import { session, reloadAreas } from '../../lib/session.js';
import { URBAN_RURAL } from '../../lib/format.js';
import { openDialog } from '../../components/dialog/dialog.js';
import { toast } from '../../components/toast/toast.js';
import { loadStyle } from '../../lib/styles.js';

loadStyle(new URL('./areas.css', import.meta.url));

const DEPTH = { county: 0, township: 1, village: 2, group: 3 };
const CHILD = { county: '乡镇/街道', township: '村/社区', village: '组' };
const UR_OPTIONS = [{ code: 'rural', label: '农村（乡镇/村）' }, { code: 'urban', label: '城市（街道/社区）' }];

/** Areas in tree order, each with its depth; collapsed subtrees left out. */
function treeOrder(areas, collapsed) {
  const kids = new Map();
  for (const a of areas) {
    const k = a.parent_id ?? 0;
    if (!kids.has(k)) kids.set(k, []);
    kids.get(k).push(a);
  }
  const out = [];
  const walk = (parent) => {
    for (const a of kids.get(parent) || []) {
      out.push({ ...a, hasKids: kids.has(a.id) });
      if (!collapsed.has(a.id)) walk(a.id);
    }
  };
  walk(0);
  return out;
}

export async function areasView(root) {
  document.title = '区划管理 - 兜底';
  await reloadAreas();
  // Groups are many; start with villages folded.
  const collapsed = new Set(session.areas.filter((a) => a.level === 'village').map((a) => a.id));

  function draw(focusId) {
    const rows = treeOrder(session.areas, collapsed);
    render(root, html`
      <section class="page">
        <div class="page-head"><h1>区划管理</h1>
          <p class="muted">县 → 乡镇/街道 → 村/社区 → 组。停用的区划不能登记新家庭，已有家庭不受影响。</p>
        </div>
        <table class="grid tree" id="areas">
          <thead><tr><th>名称</th><th>级别</th><th>代码</th><th>城乡</th><th>状态</th><th>操作</th></tr></thead>
          <tbody>${rows.map((a) => html`<tr data-area-id="${a.id}" class="depth-${DEPTH[a.level]}${a.active ? '' : ' inactive'}">
            <td class="tree-name">
              ${a.hasKids ? html`<button type="button" class="twisty" data-act="toggle" aria-expanded="${collapsed.has(a.id) ? 'false' : 'true'}"
                aria-label="${collapsed.has(a.id) ? '展开' : '收起'}${a.name}">${collapsed.has(a.id) ? '▸' : '▾'}</button>` : html`<span class="twisty-gap"></span>`}
              ${a.name}</td>
            <td>${a.level_label}</td><td class="mono">${a.code}</td>
            <td>${URBAN_RURAL[a.urban_rural] || ''}</td>
            <td>${a.active ? '启用' : html`<span class="muted">已停用</span>`}</td>
            <td class="row-actions">
              <button type="button" class="link" data-act="edit">修改</button>
              ${CHILD[a.level] ? html`<button type="button" class="link" data-act="add">增加${CHILD[a.level]}</button>` : ''}
            </td>
          </tr>`)}</tbody>
        </table>
      </section>
    `);
    root.querySelector('#areas tbody').addEventListener('click', onClick);
    const target = focusId && root.querySelector(`tr[data-area-id="${focusId}"] [data-act="edit"]`);
    if (target) target.focus();
  }

  function onClick(e) {
    const btn = e.target.closest('button[data-act]');
    if (!btn) return;
    const a = session.areas.find((x) => String(x.id) === btn.closest('tr').dataset.areaId);
    if (btn.dataset.act === 'toggle') {
      if (collapsed.has(a.id)) collapsed.delete(a.id);
      else collapsed.add(a.id);
      draw();
      root.querySelector(`tr[data-area-id="${a.id}"] .twisty`)?.focus();
    } else if (btn.dataset.act === 'edit') edit(a);
    else add(a);
  }

  async function add(parent) {
    const isTownship = parent.level === 'county';
    const created = await openDialog({
      title: `在“${parent.name}”下增加${CHILD[parent.level]}`, submitLabel: '增加',
      body: html`
        ${field({ name: 'name', label: '名称', required: '请填写区划名称', attrs: html`autofocus maxlength="40"` })}
        ${field({ name: 'code', label: '区划代码', dtype: 'opt', hint: `不填则自动编号；填写时以 ${parent.code} 开头`, attrs: html`inputmode="numeric"` })}
        ${field({
          name: 'urban_rural', label: '城乡属性', type: 'select', options: UR_OPTIONS, dtype: 'opt',
          value: parent.urban_rural || 'rural', blank: isTownship ? undefined : '同上级',
        })}
      `,
      run: (input) => call('area.create', { parent_id: parent.id, ...input }),
    });
    if (created) {
      toast(`已增加 ${created.name}`);
      await reloadAreas();
      collapsed.delete(parent.id);
      draw(created.id);
    }
  }

  async function edit(a) {
    const saved = await openDialog({
      title: `修改${a.level_label}：${a.name}`, submitLabel: '保存',
      body: html`
        ${field({ name: 'name', label: '名称', value: a.name, required: '请填写区划名称', attrs: html`autofocus maxlength="40"` })}
        ${a.level === 'county' ? '' : field({ name: 'urban_rural', label: '城乡属性', type: 'select', value: a.urban_rural, options: UR_OPTIONS, dtype: 'opt' })}
        ${a.level === 'county' ? '' : field({ name: 'active', label: '启用', type: 'checkbox', value: a.active })}
      `,
      run: (input) => call('area.update', { id: a.id, ...input }),
    });
    if (saved) {
      toast('区划已保存');
      await reloadAreas();
      if (a.level === 'county') session.countyName = saved.name;
      draw(a.id);
    }
  }

  draw();
}
