import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { OutboxModule } from '../notifications/outbox/outbox.module';
import { DisputesModule } from '../operations/disputes.module';
import { PaymentOperationsModule } from '../operations/payment-operations.module';
import { ActionResultsService } from './actions/action-results.service';
import { AdminActionsRepository } from './actions/admin-actions.repository';
import { ApprovalsService } from './actions/approvals.service';
import { ApproverEligibilityService } from './actions/approver-eligibility.service';
import { CumulativeControlsService } from './actions/cumulative-controls.service';
import { PaymentActionsService } from './actions/payment-actions.service';
import { RoleLimitsService } from './actions/role-limits.service';
import { AdminSettings } from './admin-settings';
import { AuditLogRepository } from './audit-log/audit-log.repository';
import { AuditQueryService } from './audit-log/audit-query.service';
import { AdminGuard } from './auth/admin.guard';
import { AdminRecoveryCodesRepository } from './auth/admin-recovery-codes.repository';
import { AdminSessionsRepository } from './auth/admin-sessions.repository';
import { AdminUsersRepository } from './auth/admin-users.repository';
import { AdminUsersService } from './auth/admin-users.service';
import { AttemptGate } from './auth/attempt-gate';
import { InitialAdmin } from './auth/initial-admin';
import { InitialPasswordFile } from './auth/initial-password-file';
import { LoginService } from './auth/login.service';
import { RecoveryCodesService } from './auth/recovery-codes';
import { SessionsService } from './auth/sessions.service';
import { AccountController } from './controllers/account.controller';
import { ApprovalsController } from './controllers/approvals.controller';
import { AssetsController, FaviconController } from './controllers/assets.controller';
import { AuditController } from './controllers/audit.controller';
import { AdminDisputesController } from './controllers/disputes.controller';
import { LoginController } from './controllers/login.controller';
import { AdminNotificationsController } from './controllers/notifications.controller';
import { AdminPaymentsController } from './controllers/payments.controller';
import { UsersController } from './controllers/users.controller';
import { AdminExceptionFilter } from './http/admin-exception.filter';
import { AdminPaymentsRepository } from './payments/admin-payments.repository';
import { AdminPaymentsService } from './payments/admin-payments.service';
import { FailingNotificationsRepository } from './payments/failing-notifications.repository';
import { FailingNotificationsService } from './payments/failing-notifications.service';
import { AdminNotificationsService } from './payments/notifications.service';

/** The admin capture console at /admin: server-rendered pages over the lifecycle services, audited. */
@Module({
  imports: [AuditModule, PaymentOperationsModule, DisputesModule, MerchantsModule, OutboxModule],
  controllers: [
    LoginController,
    AssetsController,
    FaviconController,
    AdminPaymentsController,
    AdminDisputesController,
    ApprovalsController,
    AdminNotificationsController,
    AuditController,
    UsersController,
    AccountController,
  ],
  providers: [
    AdminSettings,
    AdminUsersRepository,
    AdminSessionsRepository,
    AdminRecoveryCodesRepository,
    AdminUsersService,
    AttemptGate,
    SessionsService,
    LoginService,
    RecoveryCodesService,
    InitialAdmin,
    InitialPasswordFile,
    AdminGuard,
    AdminExceptionFilter,
    AdminPaymentsService,
    AdminNotificationsService,
    FailingNotificationsRepository,
    FailingNotificationsService,
    AuditQueryService,
    ApprovalsService,
    ApproverEligibilityService,
    RoleLimitsService,
    PaymentActionsService,
    ActionResultsService,
    CumulativeControlsService,
    AdminActionsRepository,
    AdminPaymentsRepository,
    AuditLogRepository,
  ],
})
export class AdminModule {}
