/*
 * antom-test-kit: a Jest test kit for merchants. `startTestGateway()` (a test file's beforeAll,
 * or globalSetup with `exportToEnv()` and `connectTestGateway()` in the test files) boots the whole product
 * on free ports in a temp dir. docs/client-and-kit.md.
 */
export { startTestGateway } from './start-test-gateway';
export type { StartTestGatewayOptions, TestGateway } from './start-test-gateway';
export { connectTestGateway, TEST_GATEWAY_ENV } from './test-gateway';
export type { MerchantCredentials, TestGatewayDescriptor, TestGatewayHandle, UpstreamFault } from './test-gateway';
export type { Inbox, InboxFilter, NotificationOf } from './inbox';
export type { AuthExpiryPolicy, ClockAdvance, KitControls, PaymentStanding } from './kit-controls';
export { TEST_CARDS, FAULT_AMOUNTS } from './test-cards';
