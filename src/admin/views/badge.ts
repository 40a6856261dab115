import { html } from './html';

/** A status as a coloured badge (assets.ts colours it by class); its own file, shared by every view. */
export const badge = (s: string) => html`<span class="badge ${s}">${s}</span>`;
