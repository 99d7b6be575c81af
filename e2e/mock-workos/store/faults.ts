/** Injected faults and the request log: how tests make WorkOS misbehave and see what the app called. */
import type { Fault, FaultSpec, MockEndpoint, RequestLogEntry, RequestLogFilter, RequestSubject } from './records.ts';
import { generateId } from './records.ts';
import { StoreCore } from './core.ts';

const REQUEST_LOG_LIMIT = 5_000;

export abstract class FaultStore extends StoreCore {
  #faults: Fault[] = [];
  #requestLog: RequestLogEntry[] = [];
  #requestSeq = 0;

  protected override clearState(): void {
    super.clearState();
    this.#faults = [];
    this.#requestLog = [];
  }

  addFault(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: generateId('fault'), remaining: spec.times ?? 1 };
    this.#faults.push(fault);
    return fault;
  }

  get faults(): readonly Fault[] {
    return this.#faults;
  }

  /** Removes one fault by id (a test cleaning up only its own); false if it was used up or unknown. */
  removeFault(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((fault) => fault.id !== id);
    return this.#faults.length < before;
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Consumes one use of the first fault matching this call, if any. */
  takeFault(endpoint: MockEndpoint, subject: RequestSubject): Fault | undefined {
    const fault = this.#faults.find(({ endpoint: faultEndpoint, match }) => {
      if (faultEndpoint !== endpoint) return false;
      if (!match) return true;
      if (match.userId !== undefined && match.userId !== subject.userId) return false;
      if (match.email !== undefined && match.email.toLowerCase() !== subject.email?.toLowerCase()) return false;
      if (match.grantType !== undefined && match.grantType !== subject.grantType) return false;
      return true;
    });
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((other) => other !== fault);
    return fault;
  }

  /** Records a call; the returned entry is completed (status, fault) by the caller. */
  logRequest(input: { method: string; path: string; endpoint: MockEndpoint } & RequestSubject): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.#requestSeq,
      time: this.isoNow(),
      method: input.method,
      path: input.path,
      endpoint: input.endpoint,
      grantType: input.grantType ?? null,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
      redirectUri: input.redirectUri ?? null,
      status: null,
      organizationId: null,
      fault: null,
      kids: null,
      authenticationMethod: null,
    };
    this.#requestLog.push(entry);
    if (this.#requestLog.length > REQUEST_LOG_LIMIT) this.#requestLog.shift();
    return entry;
  }

  requestLog(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.#requestLog.filter(
      (entry) =>
        (filter.userId === undefined || entry.userId === filter.userId) &&
        (filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
        (filter.grantType === undefined || entry.grantType === filter.grantType),
    );
  }

  clearRequestLog(): void {
    this.#requestLog = [];
  }
}
