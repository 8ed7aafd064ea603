import type { IAuthenticate, IDataObject } from 'n8n-workflow';

/**
 * A credential's `authenticate` that copies credential fields into the request's form body or its
 * headers. It is a function on purpose: n8n evaluates the `={{$credentials.x}}` expressions of a
 * generic `authenticate` on every call, through its expression sandbox, which was the package's
 * biggest cost per vendor call in n8n 2.41.1 (1 to 2 ms a call, `npm run bench -- --profile`); a
 * function is called with the decrypted credential and costs nothing.
 *
 * @param fields the request's field name -> the credential's field name
 */
export function credentialFields(where: 'body' | 'headers', fields: Record<string, string>): IAuthenticate {
	const entries = Object.entries(fields);
	return async (credentials, requestOptions) => {
		const current = requestOptions[where];
		// As n8n's generic authentication: an empty value becomes '', anything else its text.
		const added: IDataObject = {};
		for (const [name, field] of entries) added[name] = credentials[field] ? String(credentials[field]) : '';
		return { ...requestOptions, [where]: { ...(current && typeof current === 'object' ? current : {}), ...added } };
	};
}
