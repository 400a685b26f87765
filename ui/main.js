// Boot: ask the shell where this desktop works (the first run chooses 本机数据库 or 连接县级服务器),
// ask who is signed in, then show first-run setup, sign-in, or the app; hash routing picks the
// view. The status line at the foot says which database or server, and whether it answers.

import { call, onError, onAnswer } from './api.js';
import { html, render } from './lib/html.js';
import { route, current, match } from './lib/router.js';
import { stylesLoaded } from './lib/styles.js';
import { session, loadStatus, loadReference, forget, can, firstScreen } from './lib/session.js';
import { mountShell, markCurrent } from './components/shell/shell.js';
import { showSignIn, showSetup, showSetPassword, showChooseDatabase } from './views/signin/signin.js';
import { link, loadLink, noteFailure, noteAnswer, watchLink } from './lib/link.js';
import { mountLinkStatus } from './components/link-status/link-status.js';
import { householdList } from './views/household-list/household-list.js';
import { householdPage } from './views/household-page/household-page.js';
import { householdNew, householdEdit } from './views/household-form/household-form.js';
import { financesEdit } from './views/finances-form/finances-form.js';
import { usersView } from './views/users/users.js';
import { areasView } from './views/areas/areas.js';
import { auditView } from './views/audit/audit.js';
import { aboutView } from './views/about/about.js';
import { standardsView } from './views/standards/standards.js';
import { whatIfView } from './views/what-if/what-if.js';
import { paymentsView } from './views/payments/payments.js';
import { reportsView } from './views/reports/reports.js';
import { workQueue } from './views/work-queue/work-queue.js';
import { caseList } from './views/case-list/case-list.js';
import { casePage } from './views/case-page/case-page.js';
import { nearRelativesView } from './views/near-relatives/near-relatives.js';
import { workSettingsView } from './views/work-settings/work-settings.js';
import { deliberationList, deliberationNew, deliberationPage, deliberationSettings } from './views/deliberation/deliberation.js';
import { meetingList, meetingPage } from './views/meeting/meeting.js';
import { tempAidList, tempAidNew } from './views/temp-aid/temp-aid.js';
import { tempAidPage } from './views/temp-aid/temp-aid-page.js';
import { reserveFundView } from './views/reserve-fund/reserve-fund.js';
import { ledgerImportView } from './views/ledger-import/ledger-import.js';

const app = document.getElementById('app');
let view = null; // the element views render into, while signed in
let drawn = 0; // counts route renders, so a slow view does not draw over a newer one

route('/households', householdList);
route('/households/new', householdNew);
route('/households/:id', householdPage);
route('/households/:id/edit', householdEdit);
route('/households/:id/finances', financesEdit);
route('/users', usersView);
route('/areas', areasView);
route('/audit', auditView);
route('/standards', standardsView);
route('/what-if', whatIfView);
route('/payments', paymentsView);
route('/reports', reportsView);
route('/near-relatives', nearRelativesView);
route('/work-settings', workSettingsView);
route('/about', aboutView);
route('/queue', workQueue);
route('/cases', caseList);
route('/cases/:id', casePage);
route('/deliberation', deliberationList);
route('/deliberation/new', deliberationNew);
route('/deliberation/settings', deliberationSettings);
route('/deliberation/:id', deliberationPage);
route('/meetings', meetingList);
route('/meetings/:id', meetingPage);
route('/temp-aid', tempAidList);
route('/temp-aid/new', tempAidNew);
route('/temp-aid/:id', tempAidPage);
route('/reserve-fund', reserveFundView);
route('/ledger-import', ledgerImportView);

function home() {
  if (can('queue')) return '/queue'; // a member unit lands on the meetings waiting for it
  return can('readRegistry') ? '/households' : '/about';
}

async function showRoute() {
  if (!session.user || !view) return;
  const { path, query } = current();
  const hit = match(path);
  if (!hit) {
    location.replace('#' + home());
    return;
  }
  const mine = ++drawn;
  markCurrent(path);
  // Views draw into a fresh element so a slow one cannot draw over its successor.
  const slot = document.createElement('div');
  slot.className = 'view-slot';
  view.replaceChildren(slot);
  try {
    await stylesLoaded(); // each view links its own stylesheet; draw it styled (lib/styles.js)
    if (mine !== drawn) return;
    await hit.view(slot, { params: hit.params, query });
  } catch (err) {
    if (mine !== drawn || err.code === 'unauthenticated') return;
    render(slot, html`<section class="page"><p class="banner error" role="alert">${err.message || String(err)}</p>
      <p><a href="#${home()}">返回首页</a></p></section>`);
  }
}

async function enter() {
  await loadReference();
  view = mountShell(app, { onSignOut: signOut });
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#' + home());
  else showRoute();
}

async function signOut() {
  try {
    await call('auth.sign_out');
  } finally {
    forget();
    view = null;
    history.replaceState(null, '', '#/');
    start();
  }
}

/** Show the first run's choice of database, setup, sign-in or the app, according to the
 *  connection and auth.status. */
async function start(notice = '') {
  await loadLink();
  if (!link.chosen) return showChooseDatabase(app, { done: () => location.reload() });
  try {
    // The stylesheets the components and views linked as they were imported: none is drawn unstyled.
    await Promise.all([loadStatus(), stylesLoaded()]);
  } catch (err) {
    const title = link.mode === 'server' ? '无法连接县级服务器' : '无法打开数据库';
    render(app, html`<div class="fatal"><h1>${title}</h1><p>${err.message}</p>
      <p><button type="button" id="fatal-retry">重试</button> <button type="button" class="link" id="fatal-choose">更改连接方式</button></p></div>`);
    app.querySelector('#fatal-retry').addEventListener('click', () => start());
    app.querySelector('#fatal-choose').addEventListener('click', () => showChooseDatabase(app, { done: () => location.reload(), current: link }));
    return;
  }
  switch (firstScreen()) {
    case 'setup': return showSetup(app, { done: () => start() });
    case 'signin': return showSignIn(app, { done: () => start(), notice });
    // A password the administrator set is for this sign-in only: set one's own before anything else.
    case 'set_password': return showSetPassword(app, { done: () => start(), signOut });
    default: return enter();
  }
}

// A failed call may be the network: the status line checks the server (what was typed stays in
// its form, which shows the refusal). A command refused because nobody is signed in (e.g. the
// shell was restarted, or the server's session lapsed): sign in again.
onAnswer(noteAnswer);
onError((err, name) => {
  noteFailure(err);
  if (err.code === 'unauthenticated' && !name.startsWith('auth.') && session.user) {
    forget();
    view = null;
    start('登录已失效，请重新登录');
  }
});

window.addEventListener('hashchange', showRoute);
mountLinkStatus();
watchLink();
start();
