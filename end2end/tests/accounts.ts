export const EDITORS = ['e2e-alice', 'e2e-bob'];
export const EDITOR_PASSWORD = 'a long test password for editors';
