/**
 * Facts about Coupa's API for the 21 objects the node models: each `VERB /suffix` that Coupa's R39
 * OpenAPI specs (paths.txt, actions-by-resource.txt) list under `/api/{path}`. Kept as facts so the
 * catalog can be checked against them; regenerate by reading the specs when Coupa publishes a release.
 */
export const SPEC_ENDPOINTS: Record<string, string[]> = {
	accounts: ['GET ', 'GET /:id', 'GET /favorites', 'GET /recent', 'GET /user_accounts', 'POST ', 'POST /validate_account', 'PUT /:id'],
	addresses: ['GET ', 'GET /:id', 'POST ', 'PUT /:id'],
	approvals: ['GET ', 'GET /:id', 'GET /approver_search', 'POST ', 'PUT /:id', 'PUT /:id/approve', 'PUT /:id/hold', 'PUT /:id/reject'],
	budget_lines: ['DELETE /:id', 'GET ', 'GET /:id', 'POST ', 'PUT /:id', 'PUT /:id/adjust'],
	contracts: ['GET ', 'GET /:id', 'GET /:id/retrieve_executive_summary', 'GET /:id/retrieve_legal_agreement', 'GET /templates', 'POST ', 'POST /:id/create_published', 'POST /:id/legal_agreement', 'POST /templates', 'PUT /:id', 'PUT /:id/add_approver', 'PUT /:id/ccc_signature_created', 'PUT /:id/check_in', 'PUT /:id/check_out', 'PUT /:id/complete', 'PUT /:id/legal_agreement', 'PUT /:id/remove_approval', 'PUT /:id/submit_for_approval', 'PUT /:id/update_legal_agreement_published', 'PUT /:id/update_published', 'PUT /:id/withdraw_signatures'],
	currencies: ['GET ', 'GET /:id'],
	exchange_rates: ['GET ', 'GET /:id', 'POST ', 'PUT /:id'],
	expense_lines: ['DELETE /:id', 'GET ', 'GET /:id', 'GET /expense_artifacts', 'POST ', 'POST /:id/calculate_mileage', 'POST /:id/calculate_per_diem', 'POST /:id/estimate_taxes', 'PUT /:id', 'PUT /:id/calculate_taxes'],
	expense_reports: ['DELETE /:id', 'GET ', 'GET /:id', 'GET /:id/download', 'POST ', 'PUT /:id', 'PUT /:id/add_approver', 'PUT /:id/remove_approval', 'PUT /:id/send_back_line', 'PUT /:id/submit'],
	inventory_transactions: ['GET ', 'GET /:id', 'POST ', 'PUT /:id', 'PUT /:id/void'],
	invoices: ['DELETE /:id', 'GET ', 'GET /:id', 'GET /:id/retrieve_clearance_document', 'GET /:id/retrieve_image_scan', 'GET /:id/retrieve_legal_invoice_pdf', 'POST ', 'PUT /:id', 'PUT /:id/abandon', 'PUT /:id/add_approver', 'PUT /:id/bypass_approvals', 'PUT /:id/bypass_current_approval', 'PUT /:id/dispute', 'PUT /:id/flip_to_advance_ship_notice', 'PUT /:id/image_scan', 'PUT /:id/remove_approval', 'PUT /:id/restart_approvals', 'PUT /:id/revalidate_tolerances', 'PUT /:id/submit', 'PUT /:id/update_line_accounts', 'PUT /:id/void', 'PUT /:id/withdraw_dispute'],
	items: ['GET ', 'GET /:id', 'GET /:id/image', 'POST ', 'PUT /:id'],
	lookup_values: ['GET ', 'GET /:id', 'GET /user_lookup_values', 'POST ', 'PUT /:id'],
	purchase_orders: ['GET ', 'GET /:id', 'POST ', 'PUT /:id', 'PUT /:id/cancel', 'PUT /:id/close', 'PUT /:id/ignore_window_and_issue', 'PUT /:id/issue', 'PUT /:id/issue_without_send', 'PUT /:id/release_from_buyer_hold', 'PUT /:id/reopen'],
	purchase_order_changes: ['GET ', 'GET /:id', 'POST ', 'PUT /:id', 'PUT /:id/add_approver', 'PUT /:id/remove_approval', 'PUT /:id/submit_for_approval'],
	purchase_order_lines: ['DELETE /:id', 'GET ', 'GET /:id', 'PUT /:id/reopen_for_invoicing', 'PUT /:id/reopen_for_receiving', 'PUT /:id/soft_close_for_invoicing', 'PUT /:id/soft_close_for_receiving'],
	quote_requests: ['GET ', 'GET /:id', 'POST ', 'POST /create_from_source', 'PUT /:id'],
	requisitions: ['DELETE /:id', 'GET ', 'GET /:id', 'GET /current_cart', 'GET /mine', 'POST ', 'POST /add_to_cart', 'POST /create_as_cart', 'POST /schedule_issuance', 'POST /submit_for_approval', 'POST /unschedule_issuance', 'PUT /:id', 'PUT /:id/add_approver', 'PUT /:id/remove_approval', 'PUT /:id/save_for_later', 'PUT /:id/update_and_submit_for_approval', 'PUT /:id/update_without_validation'],
	suppliers: ['DELETE /logout_iframe_session', 'GET ', 'GET /:id', 'POST ', 'POST /create_supplier_user_preferences', 'POST /sync_supplier_user_locale', 'PUT /:id'],
	users: ['DELETE /:id/avatar', 'GET ', 'GET /:id', 'GET /:id/avatar', 'GET /:id/retrieve_avatar', 'POST ', 'POST /:id/avatar', 'PUT ', 'PUT /:id', 'PUT /:id/avatar'],
	user_groups: ['GET ', 'GET /:id', 'POST ', 'PUT /:id'],
};

/** Objects whose records take attachments (`GET` and `POST /api/{path}/:id/attachments`) in the same specs. */
export const SPEC_ATTACHMENT_PATHS = ['contracts', 'expense_reports', 'invoices', 'purchase_orders', 'requisitions'];
