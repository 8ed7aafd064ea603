/**
 * One vendor node with its credential in a real workflow run (./workflow.ts), as each vendor's
 * workflow tests call it:
 *
 *   const run = runNode({
 *     type: TYPE, node: Veesing, credential: VeesingApi,
 *     credentials: () => credentialsFor('veesing', sim().url),   // from ../helpers/simulator
 *   });
 *   await run({ operation: 'getBalance' }, items, { continueOnFail: true, credentials: { appKey: 'wrong' } });
 */
import type { ICredentialType, IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { runWorkflow, type RunWorkflowResult } from './workflow';

export interface RunNodeExtra<Credentials> {
	continueOnFail?: boolean;
	/** n8n's "Always Output Data" node setting. */
	alwaysOutputData?: boolean;
	/** Fields that replace the saved credential's for this run only (a wrong secret, another base URL). */
	credentials?: Partial<Credentials>;
}

export function runNode<Credentials extends Record<string, string>>(spec: {
	type: string;
	node: new () => INodeType;
	credential: new () => ICredentialType;
	/** The credential as a user saved it; called at each run, so it can read the simulator's URL. */
	credentials: () => Credentials;
}) {
	return (
		parameters: INodeParameters,
		items: Array<{ json: IDataObject }> = [{ json: {} }],
		extra: RunNodeExtra<Credentials> = {},
	): Promise<RunWorkflowResult> => {
		const credential = new spec.credential();
		return runWorkflow({
			nodeTypes: { [spec.type]: new spec.node() },
			credentialTypes: { [credential.name]: credential },
			credentials: { [credential.name]: { ...spec.credentials(), ...extra.credentials } },
			items,
			node: { type: spec.type, parameters, continueOnFail: extra.continueOnFail, alwaysOutputData: extra.alwaysOutputData },
		});
	};
}
