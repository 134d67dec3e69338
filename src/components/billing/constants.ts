/** Invoices per page (the page's prefetch and the client's list must ask the same). */
export const INVOICES_PAGE_SIZE = 12;
