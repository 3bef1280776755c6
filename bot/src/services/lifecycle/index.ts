// The lifecycle (issue 7): what happens after someone is listed. One service per concern, sharing one context;
// all of it reads the policy profile in force and none of it asks which council it is.
import { LifecycleContext, type LifecycleDeps } from "./context";
import { AppealService } from "./appeals";
import { LetterService } from "./letters";
import { NotificationService } from "./notifications";
import { ReportService } from "./reports";
import { RestrictionService } from "./restrictions";
import { RetentionService } from "./retention";
import { ReviewService } from "./reviews";
import { LifecycleScheduler, type SchedulerOptions } from "./scheduler";
import { WarningService } from "./warnings";
import { RegisterWatch } from "./watch";
import { Idempotency } from "./idempotency";

export class LifecycleService {
  readonly ctx: LifecycleContext;
  readonly restrictions: RestrictionService;
  readonly warnings: WarningService;
  readonly reviews: ReviewService;
  readonly appeals: AppealService;
  readonly letters: LetterService;
  readonly notifications: NotificationService;
  readonly watch: RegisterWatch;
  readonly retention: RetentionService;
  readonly reports: ReportService;
  readonly scheduler: LifecycleScheduler;
  readonly idempotency: Idempotency;

  constructor(deps: LifecycleDeps, scheduler: SchedulerOptions) {
    this.ctx = new LifecycleContext(deps);
    this.restrictions = new RestrictionService(this.ctx);
    this.warnings = new WarningService(this.ctx, this.restrictions);
    this.reviews = new ReviewService(this.ctx, this.restrictions);
    this.appeals = new AppealService(this.ctx, this.restrictions);
    this.letters = new LetterService(this.ctx);
    this.notifications = new NotificationService(this.ctx);
    this.watch = new RegisterWatch(this.ctx, this.notifications);
    this.notifications.watch = this.watch;
    this.retention = new RetentionService(this.ctx, this.notifications, this.watch);
    this.reports = new ReportService(this.ctx);
    this.idempotency = new Idempotency(this.ctx);
    this.scheduler = new LifecycleScheduler(this.ctx, this, scheduler);
  }
}

export { LifecycleContext, londonDate, SCHEDULER_ACTOR, type LifecycleDeps, type Refusal, type Result } from "./context";
export type { SchedulerOptions, SchedulerStatus } from "./scheduler";
