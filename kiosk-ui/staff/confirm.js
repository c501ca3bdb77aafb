// A confirmation that names what is about to happen (review W3, A1): a modal <dialog> with the
// card and holder or the account, an optional tick box the clerk must tick ("已核验本人身份证"),
// and 确认 / 取消. Resolves true only on 确认; Esc or 取消 resolve false.

export function confirmAction({ title, text, tick, confirmLabel = '确认', danger = false }) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'confirm';
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    const h = document.createElement('h2');
    h.id = 'confirm-title';
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = text;
    dialog.append(h, p);
    let box = null;
    if (tick) {
      const label = document.createElement('label');
      box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'confirm-tick';
      label.append(box, ` ${tick}`);
      dialog.append(label);
    }
    const ok = document.createElement('button');
    ok.type = 'button';
    ok.textContent = confirmLabel;
    ok.className = danger ? 'danger' : '';
    ok.id = 'confirm-ok';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = '取消';
    cancel.className = 'secondary';
    const row = document.createElement('p');
    row.append(ok, ' ', cancel);
    dialog.append(row);
    if (box) {
      ok.disabled = true;
      box.addEventListener('change', () => { ok.disabled = !box.checked; });
    }
    let answer = false;
    ok.addEventListener('click', () => { answer = true; dialog.close(); });
    cancel.addEventListener('click', () => dialog.close());
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    (box || cancel).focus();
  });
}

// Asks for a reason (1–200 characters) in a modal dialog; resolves the text, or null on 取消.
export function askReason({ title, text, label = '原因', confirmLabel = '确认' }) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'confirm';
    dialog.setAttribute('aria-labelledby', 'reason-title');
    const form = document.createElement('form');
    form.method = 'dialog';
    const h = document.createElement('h2');
    h.id = 'reason-title';
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = text;
    const field = document.createElement('label');
    const input = document.createElement('input');
    input.name = 'reason';
    input.required = true;
    input.maxLength = 200;
    field.append(label, input);
    const ok = document.createElement('button');
    ok.type = 'submit';
    ok.textContent = confirmLabel;
    ok.id = 'reason-ok';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'secondary';
    cancel.textContent = '取消';
    const row = document.createElement('p');
    row.append(ok, ' ', cancel);
    form.append(h, p, field, row);
    dialog.append(form);
    let answer = null;
    form.addEventListener('submit', () => { answer = input.value.trim() || null; });
    cancel.addEventListener('click', () => dialog.close());
    const opener = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
