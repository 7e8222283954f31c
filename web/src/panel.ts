import { element } from './panels.ts';

/** A titled section of a report page. */
export function panel(parent: HTMLElement, title: string, className = ''): HTMLElement {
  const section = element('section', { class: `panel ${className}`.trim() });
  section.append(element('h2', {}, title));
  parent.append(section);
  return section;
}
