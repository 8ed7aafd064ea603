/**
 * Test-only node and credential types for the workflow harness (test/helpers/workflow.ts).
 * They are never shipped: package.json only lists dist/nodes and dist/credentials.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IAuthenticateGeneric,
	type ICredentialType,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export const ITEMS_NODE_TYPE = 'n8n-nodes-cn-sms-test.items';
export const ECHO_HTTP_NODE_TYPE = 'n8n-nodes-cn-sms-test.echoHttp';
export const FAIL_NODE_TYPE = 'n8n-nodes-cn-sms-test.fail';
export const TEST_ECHO_CREDENTIAL = 'testEchoApi';

/**
 * Start node: emits the items stored (as JSON text) in its `items` parameter.
 * Stored as text so that strings inside the items which begin with "=" are not
 * taken for expressions when n8n resolves the node's parameters.
 */
export class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items (test)',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits the items given in its parameters',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'string', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as INodeExecutionData[];
		// All items come from the single empty item a start node is run with; saying so
		// lets `$('Items').item` resolve from the node under test, as after a real trigger.
		return [items.map((item) => ({ ...item, pairedItem: { item: 0 } }))];
	}
}

/** Credential whose generic auth puts a value in each place a vendor might want it. */
export class TestEchoApi implements ICredentialType {
	name = TEST_ECHO_CREDENTIAL;
	displayName = 'Test Echo API';
	properties: INodeProperties[] = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', default: '' },
		{ displayName: 'Secret', name: 'secret', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Region', name: 'region', type: 'string', default: 'cn-default' },
	];
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-Api-Key': '={{$credentials.apiKey}}' },
			qs: { region: '={{$credentials.region}}' },
			body: { sign: '={{$credentials.secret}}' },
		},
	};
}

/** POSTs a form body to `url` through the credential and outputs the parsed answer. */
export class TestEchoHttp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Echo HTTP (test)',
		name: 'echoHttp',
		group: ['transform'],
		version: 1,
		description: 'Proves that httpRequestWithAuthentication works in the harness',
		defaults: { name: 'Echo HTTP' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: TEST_ECHO_CREDENTIAL, required: true }],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Message', name: 'message', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const returnData: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			try {
				const response = await this.helpers.httpRequestWithAuthentication.call(
					this,
					TEST_ECHO_CREDENTIAL,
					{
						method: 'POST',
						url: this.getNodeParameter('url', i) as string,
						headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
						body: { message: this.getNodeParameter('message', i) as string },
						json: true,
					},
				);
				// No pairedItem on purpose: the harness test checks that the engine adds it.
				returnData.push({ json: response });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message } });
					continue;
				}
				throw error;
			}
		}
		return [returnData];
	}
}

/** Throws a NodeOperationError for every item whose `fail` parameter is true. */
export class TestFail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fail (test)',
		name: 'fail',
		group: ['transform'],
		version: 1,
		description: 'Throws a NodeOperationError',
		defaults: { name: 'Fail' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Fail', name: 'fail', type: 'boolean', default: true },
			{ displayName: 'Message', name: 'message', type: 'string', default: 'Test failure' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const returnData: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			try {
				if (this.getNodeParameter('fail', i) as boolean) {
					throw new NodeOperationError(this.getNode(), this.getNodeParameter('message', i) as string, {
						itemIndex: i,
						description: `Item ${i} asked to fail`,
					});
				}
				returnData.push({ json: items[i].json, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [returnData];
	}
}

/** Added by runWorkflow to every workflow it builds. */
export const fixtureNodeTypes: Record<string, INodeType> = {
	[ITEMS_NODE_TYPE]: new TestItems(),
	[ECHO_HTTP_NODE_TYPE]: new TestEchoHttp(),
	[FAIL_NODE_TYPE]: new TestFail(),
};

export const fixtureCredentialTypes: Record<string, ICredentialType> = {
	[TEST_ECHO_CREDENTIAL]: new TestEchoApi(),
};
