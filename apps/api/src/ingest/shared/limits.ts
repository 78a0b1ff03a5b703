/** Upper bounds on free text and lists: generous for real reporting, small enough to refuse garbage. */
export const MAX_NAME_LENGTH = 200;
export const MAX_TITLE_LENGTH = 500;
export const MAX_TEXT_LENGTH = 2000;
export const MAX_CODE_LENGTH = 100;
export const MAX_UNIT_LENGTH = 50;
export const MAX_URL_LENGTH = 2000;
export const MAX_LIST_ITEMS = 100;
