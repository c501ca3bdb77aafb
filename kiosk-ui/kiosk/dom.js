// Building DOM nodes from data. Text always goes in as text nodes, never as HTML: a name from
// the store can never become markup.

/** h('p', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function button(label, onclick, primary = false) {
  return h('button', { type: 'button', class: primary ? 'primary' : undefined, onclick }, label);
}
