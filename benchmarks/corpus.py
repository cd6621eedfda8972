"""A deterministic generator of realistic post-mortems for the benchmarks.

Every document is a post-mortem in this project's Markdown format (front matter,
Summary, Impact, Timeline, Contributing factors, Detection, Resolution, Lessons
learned, Action items), about 300 words, written from incident language: services,
components, regions, error codes (``ORA-00060``, ``HTTP 503``, ``us-east-1``),
causes from ``content/taxonomy.yml`` and tags.

Most documents are *background*: one of a few dozen common failure modes with
random services, components, regions and errors, so the words of any query are
spread over many documents. A few are *needles*: planted documents about a known,
rarer topic (an expired mTLS certificate, a cron job run twice on the daylight
saving change, …) with fixed ids, so the labelled queries in ``queries.json`` have
known answers. Background documents mention needle words now and then in other
contexts, so finding a needle takes more than one rare word.

The same ``(count, seed)`` always gives the same files, byte for byte::

    python benchmarks/corpus.py /tmp/corpus --count 10000 --seed 7
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "content" / "taxonomy.yml"
DEFAULT_SEED = 7

SERVICES = [
    "payments-api", "checkout", "auth-service", "user-profile", "search-api", "order-service",
    "inventory", "notifications", "billing", "ledger", "api-gateway", "mobile-backend",
    "web-frontend", "recommendations", "shipping", "fraud-detection", "identity-provider",
    "reporting", "data-pipeline", "message-bus", "session-store", "feature-flags", "loyalty",
    "pricing", "catalog", "cart", "settlement", "media-upload", "analytics", "customer-support",
]
COMPONENTS = [
    "the primary PostgreSQL cluster", "the Redis cache", "the Kafka brokers",
    "the Elasticsearch cluster", "the nginx ingress controllers", "the internal load balancer",
    "the Oracle billing database", "the RabbitMQ queues", "the Cassandra ring",
    "the etcd cluster", "the Envoy sidecars", "the Kubernetes control plane",
    "the MySQL replicas", "the internal DNS resolvers", "the NFS filers", "the object storage buckets",
    "the ZooKeeper ensemble", "the memcached tier", "the HAProxy fleet", "the Consul agents",
    "the CI runners", "the batch scheduler", "the API gateway nodes", "the CDN edge nodes",
]
REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2",
           "ap-northeast-1", "sa-east-1", "westeurope", "northeurope", "us-central1", "europe-west4"]
ERRORS = ["HTTP 503", "HTTP 502", "HTTP 504", "HTTP 500", "HTTP 429", "ORA-00060", "ORA-01555",
          "ORA-12541", "SQLSTATE 40001", "SQLSTATE 53300", "ECONNRESET", "ETIMEDOUT",
          "ECONNREFUSED", "OOMKilled", "CrashLoopBackOff", "SIGSEGV", "ENOSPC", "NXDOMAIN",
          "SERVFAIL", "java.lang.OutOfMemoryError", "ERROR 1213", "EPIPE"]
TEAMS = ["platform", "sre", "payments-team", "data-platform", "networking", "storage-team",
         "identity-team", "release-engineering", "security", "mobile-team", "web-team", "dba"]
ORGS = ["Acme Retail", "Northwind Bank", "Globex Cloud", "Initech Payments", "Umbrella Health",
        "Hooli Mail", "Stark Logistics", "Wayne Telecom", "Tyrell Travel", "Soylent Foods",
        "Cyberdyne Insurance", "Vandelay Imports", "Wonka Media", "Oscorp Energy"]
FEATURES = ["refund", "currency conversion", "login", "search ranking", "checkout",
            "invoice export", "password reset", "address lookup", "coupon", "subscription renewal"]
TAGS = ["database", "networking", "kubernetes", "deployment", "configuration", "capacity",
        "latency", "availability", "data-loss", "security", "dns", "storage", "caching",
        "queues", "monitoring", "on-call", "third-party", "rollback", "failover", "cloud"]

# Sentences any post-mortem may contain, some using words the needles rely on, so a
# single rare query word is never enough to find a needle.
NOISE = [
    "The on-call engineer was paged by the {service} latency alert.",
    "A {pct}% error rate on {service} was visible on the main dashboard.",
    "Rotate the {service} certificates on a schedule and alert before they expire.",
    "The nightly cron jobs for {service} were paused until the fix was confirmed.",
    "Consumer lag on the {service} topics grew while the incident lasted.",
    "The migration runbook for {component} was out of date.",
    "Health checks kept passing although {service} returned errors.",
    "Session data in the cache was not affected.",
    "Retries from mobile clients doubled the request rate on {service}.",
    "An older feature flag for {service} was cleaned up afterwards.",
    "The webhook deliveries to partners were delayed by about {minutes} minutes.",
    "Disk usage on {component} stayed below 60% throughout.",
    "The status page was updated every 30 minutes.",
    "Customer support received about {count} tickets.",
]


@dataclass(slots=True)
class Mode:
    """A kind of failure: how it starts, what it breaks and how it is fixed."""

    title: str
    summary: str
    factors: list[str]
    detection: str
    resolution: str
    lessons: list[str]
    actions: list[str]
    causes: list[str]
    tags: list[str]
    errors: list[str] = field(default_factory=list)


BACKGROUND = [
    Mode("Configuration push to {component} breaks {service} in {region}",
         "A configuration change to {component} was applied to every host in {region} at once and {service} returned {error} for {minutes} minutes.",
         ["The change was reviewed but not validated against a schema.",
          "It was applied to all hosts at once instead of in stages.",
          "The setting that broke {service} had a different meaning in production than in staging."],
         "Synthetic checks against {service} failed within two minutes of the push.",
         "The previous configuration was restored from version control and the hosts were reloaded.",
         ["Configuration needs the same staged rollout as code.", "Validate configuration before it is applied."],
         ["Add schema validation to the configuration pipeline", "Roll configuration out one zone at a time"],
         ["configuration-error", "inadequate-planning"], ["configuration", "deployment"], ["HTTP 503", "HTTP 502"]),
    Mode("Release of {service} with a bug in the {feature} code path causes {error} errors",
         "A new release of {service} contained a bug in the {feature} code path that only showed with production data, and requests failed with {error}.",
         ["The {feature} path had no automated test with realistic data.",
          "Staging used a small, synthetic data set.",
          "The release went to all instances within ten minutes."],
         "Error-rate alerts on {service} fired eight minutes after the release.",
         "The release was rolled back and the bug fixed in a follow-up release.",
         ["Test the rarely used code paths with production-like data.", "Canary releases would have limited the impact."],
         ["Add tests for the {feature} path with production-like data", "Deploy {service} through a canary stage"],
         ["incomplete-testing"], ["deployment", "rollback"], ["HTTP 500", "SIGSEGV"]),
    Mode("Connection pool exhaustion on {component} takes down {service}",
         "Slow queries on {component} held connections for seconds, the pool of {service} was exhausted and new requests failed with {error}.",
         ["A new report ran an unindexed query against {component}.",
          "The connection pool had no timeout for waiting callers.",
          "Every instance of {service} shared the same pool limits."],
         "Latency on {service} crossed the paging threshold; the pool saturation metric had no alert.",
         "The report was disabled, an index was added and the pool recovered.",
         ["Give connection pools timeouts and alerts.", "Run heavy reports on a replica."],
         ["Alert on connection pool saturation", "Move reporting queries to a read replica"],
         ["infrastructure-issue", "insufficient-monitoring"], ["database", "capacity"], ["SQLSTATE 53300", "ETIMEDOUT"]),
    Mode("Disk fills up on {component} and writes from {service} fail",
         "Disks on {component} filled up in {region} and every write from {service} failed with {error} until space was freed.",
         ["Retention for temporary files was never configured.",
          "Disk alerts were set at 99%, too late to act.",
          "Growth had doubled after a new customer was onboarded."],
         "Writes failed before any disk alert fired; customers reported the errors first.",
         "Old files were removed, volumes were extended and writes resumed.",
         ["Alert on disk growth rate, not only on how full a disk is.", "Set retention for every data set."],
         ["Add disk growth alerts for {component}", "Configure retention for temporary files"],
         ["insufficient-monitoring", "infrastructure-issue"], ["storage", "capacity"], ["ENOSPC"]),
    Mode("{service} pods killed by out-of-memory in {region}",
         "After a traffic increase the {service} pods in {region} exceeded their memory limits, were killed with {error} and restarted in a loop.",
         ["Memory limits had not been revisited since launch.",
          "A larger response payload increased memory per request.",
          "Autoscaling reacted to CPU, not to memory."],
         "Restart counts rose on the Kubernetes dashboard and the on-call engineer was paged.",
         "Memory limits were raised and the payload size was capped.",
         ["Load test with realistic payload sizes.", "Autoscale on the resource that runs out first."],
         ["Load test {service} with production payload sizes", "Autoscale {service} on memory"],
         ["inadequate-planning", "infrastructure-issue"], ["kubernetes", "capacity"], ["OOMKilled", "CrashLoopBackOff"]),
    Mode("Database deadlocks on {component} stall {service}",
         "Two jobs updated the same rows on {component} in opposite orders and {service} transactions failed with {error} deadlock errors for {minutes} minutes.",
         ["The jobs took row locks in opposite orders.",
          "Retries made the lock contention worse.",
          "The schedule change that made the jobs overlap was not reviewed by the database team."],
         "The application logs filled with {error} errors and the dba on call was paged.",
         "One job was stopped and the other completed; the lock order was fixed the next day.",
         ["Take locks in one agreed order.", "Schedule batch jobs so that they do not overlap."],
         ["Make both jobs lock rows in the same order", "Alert on deadlock counts"],
         ["concurrency-problem"], ["database", "queues"], ["ORA-00060", "ERROR 1213", "SQLSTATE 40001"]),
    Mode("Library upgrade in {service} breaks requests to {component}",
         "An automatic upgrade of a client library in {service} changed its default timeouts, and calls to {component} failed with {error}.",
         ["Dependency versions were not pinned in a lock file.",
          "The changelog of the library mentioned the new default.",
          "The upgrade was merged by a bot without a human review."],
         "Error rates on {service} rose straight after the deploy.",
         "The previous library version was pinned and {service} redeployed.",
         ["Pin dependencies and read changelogs.", "Treat automatic upgrades like any other change."],
         ["Pin client library versions in a lock file", "Require review for dependency updates"],
         ["dependency-problem", "incomplete-testing"], ["deployment", "third-party"], ["ETIMEDOUT", "ECONNRESET"]),
    Mode("Mistyped command during maintenance removes {component} capacity",
         "During planned maintenance an engineer ran a command with the wrong host list, removing most of {component} in {region}, and {service} failed with {error}.",
         ["The tool accepted a host list of any size without confirmation.",
          "The runbook step was done by hand at night.",
          "No second person reviewed the command."],
         "Alerts fired within a minute; the engineer recognised the mistake.",
         "The hosts were brought back and caches warmed for {minutes} minutes.",
         ["Tools should refuse to remove more than a small share of capacity.", "Automate routine maintenance steps."],
         ["Add a capacity safety limit to the maintenance tool", "Automate the maintenance runbook"],
         ["human-error", "inadequate-planning"], ["on-call", "capacity"], ["HTTP 503"]),
    Mode("Failover of {component} fails and {service} is down for {minutes} minutes",
         "When a host of {component} failed in {region}, the automatic failover did not complete and {service} was unavailable until it was done by hand.",
         ["The failover had not been tested for a year.",
          "A configuration drift between primary and standby stopped the promotion.",
          "The runbook for a manual failover was out of date."],
         "Health checks detected the failed host immediately; the failed promotion had no alert.",
         "The standby was promoted by hand after the drift was corrected.",
         ["Rehearse failovers regularly.", "Alert when a failover does not complete."],
         ["Schedule quarterly failover drills for {component}", "Alert on failed promotions"],
         ["rollback-failure", "infrastructure-issue"], ["failover", "availability"], ["ECONNREFUSED", "HTTP 503"]),
    Mode("Traffic spike from a marketing campaign overloads {service}",
         "A marketing campaign brought four times the usual traffic to {service}, which ran out of capacity and returned {error} for {minutes} minutes.",
         ["The campaign was not shared with the engineering teams.",
          "Autoscaling had a maximum set years earlier.",
          "No load test had been run at that volume."],
         "Latency and error alerts fired as the campaign email went out.",
         "Capacity was added by hand and the autoscaling maximum raised.",
         ["Share launch plans with the people who run the systems.", "Load test before big campaigns."],
         ["Add campaign launches to the change calendar", "Load test {service} at four times peak"],
         ["inadequate-planning"], ["capacity", "latency"], ["HTTP 503", "HTTP 429"]),
    Mode("Retry storm after a brief {component} outage overwhelms {service}",
         "A short outage of {component} made every client of {service} retry at once without backoff, and the retries kept {service} down with {error} long after {component} recovered.",
         ["Clients retried immediately, with no backoff or jitter.",
          "There was no circuit breaker in front of {component}.",
          "Load shedding was not configured."],
         "Error alerts fired; the cause of the second wave took an hour to understand.",
         "Clients were rate limited at the gateway until the queue drained.",
         ["Retry with exponential backoff and jitter.", "Shed load before it takes the service down."],
         ["Add backoff and jitter to client retries", "Add a circuit breaker around {component}"],
         ["concurrency-problem", "inadequate-planning"], ["latency", "availability"], ["HTTP 503", "ECONNRESET"]),
    Mode("Third-party provider outage takes down {service}",
         "An outage at an external provider that {service} depends on made {service} return {error}, with no fallback in place.",
         ["The provider was a single dependency with no fallback.",
          "Timeouts to the provider were longer than the request budget.",
          "The status page of the provider did not show the problem for 40 minutes."],
         "Our own alerts on {service} fired before the provider confirmed the outage.",
         "Traffic was moved to a secondary provider by hand.",
         ["Have a fallback for every critical provider.", "Keep timeouts within the request budget."],
         ["Add a secondary provider for {service}", "Lower timeouts to the provider"],
         ["dependency-problem"], ["third-party", "availability"], ["HTTP 502", "ETIMEDOUT"]),
    Mode("Monitoring gap hides {service} errors for hours",
         "{service} failed for some customers for several hours before anyone noticed, because the alert on its error rate had been muted during an earlier incident.",
         ["The alert was muted and never unmuted.",
          "The dashboards averaged errors across regions, hiding {region}.",
          "Customer reports reached support, not engineering."],
         "Customers told support; support escalated after two hours.",
         "The failing instances were replaced and the alert was unmuted.",
         ["Muted alerts need an expiry.", "Alert per region, not only globally."],
         ["Give muted alerts an automatic expiry", "Add per-region error alerts for {service}"],
         ["insufficient-monitoring"], ["monitoring", "on-call"], ["HTTP 500"]),
    Mode("Network partition between zones splits {component}",
         "A network fault between two zones in {region} split {component}, and {service} saw timeouts and {error} errors while the cluster recovered.",
         ["The cluster needed a quorum that one zone alone could not reach.",
          "Clients had no timeout for cross-zone calls.",
          "The network fault was in the provider's equipment."],
         "Timeout alerts fired on {service}; the provider confirmed the fault later.",
         "The partition healed after the provider repaired the link; the cluster was checked for consistency.",
         ["Design for the loss of a zone.", "Set timeouts on every remote call."],
         ["Run {component} across three zones", "Add timeouts to cross-zone calls"],
         ["infrastructure-issue"], ["networking", "availability"], ["ETIMEDOUT", "HTTP 504"]),
    Mode("Message backlog in {component} delays {service} by hours",
         "A slow consumer let messages pile up in {component}, and {service} processed events hours late.",
         ["A new consumer version processed messages one at a time.",
          "Queue depth had no alert.",
          "Producers kept publishing at full rate."],
         "Customers noticed delayed notifications before any alert fired.",
         "Consumers were scaled out and the backlog drained in {minutes} minutes.",
         ["Alert on queue depth and age.", "Load test consumers before release."],
         ["Alert on message age in {component}", "Batch message processing in the consumer"],
         ["insufficient-monitoring", "incomplete-testing"], ["queues", "latency"], ["ETIMEDOUT"]),
    Mode("DNS change makes {service} unreachable in {region}",
         "A DNS record change for {service} removed the records clients used, and lookups returned {error} until the records were restored.",
         ["The change was made in the console, outside the reviewed pipeline.",
          "The record's time to live was 24 hours, so caches kept the bad answer.",
          "No check compared the records before and after the change."],
         "Synthetic checks from {region} failed within five minutes.",
         "The records were restored from the zone file in version control.",
         ["Manage DNS as code.", "Lower the time to live before changing records."],
         ["Move DNS records into the infrastructure-as-code repository", "Add a pre-change DNS diff"],
         ["configuration-error", "human-error"], ["dns", "configuration"], ["NXDOMAIN", "SERVFAIL"]),
    Mode("Exposed credentials in {service} logs lead to a security incident",
         "An access token for {service} was written to application logs that a vendor could read, and it had to be revoked and rotated across {region}.",
         ["A debug log line printed request headers.",
          "Log access was wider than needed.",
          "Tokens had no short expiry."],
         "A secret scanner flagged the token in the log archive.",
         "The token was revoked, logs were purged and access narrowed.",
         ["Never log secrets; scrub headers.", "Give tokens short lifetimes."],
         ["Scrub authorization headers from logs", "Shorten token lifetime for {service}"],
         ["security-vulnerability", "configuration-error"], ["security"], ["HTTP 401"]),
    Mode("Slow schema change on {component} degrades {service}",
         "A schema change on {component} ran longer than planned in {region}, and {service} queries slowed down and timed out with {error}.",
         ["The change had been tested on a small copy of the data.",
          "It ran during business hours.",
          "There was no way to pause it safely."],
         "Query latency alerts fired twenty minutes into the change.",
         "The change was cancelled and rescheduled with an online schema tool.",
         ["Test schema changes on full-size data.", "Run long changes outside peak hours."],
         ["Use an online schema change tool for {component}", "Test migrations on a full-size copy"],
         ["incomplete-testing", "inadequate-planning"], ["database", "latency"], ["ORA-01555", "ETIMEDOUT"]),
    # Modes that share words with the needles (certificate, cron, Redis, Kafka, heap,
    # webhook, password reset, migration, partition …) in a different story.
    Mode("Certificate rotation restarts {service} pods at peak time",
         "A scheduled TLS certificate rotation on {component} restarted every {service} pod at once during the evening peak, and clients saw {error} for a few minutes.",
         ["The rotation job restarted all pods instead of reloading the certificate.", "It was scheduled by a cron expression in local time.", "The certificate was not close to expiry; the job ran weekly."],
         "Error-rate alerts on {service} fired during the rotation.",
         "The pods came back on their own; the job was changed to reload certificates without restarts.",
         ["Reload certificates without restarting.", "Run disruptive jobs outside peak hours."],
         ["Make certificate rotation hot-reload", "Move the rotation job outside peak hours"],
         ["configuration-error", "inadequate-planning"], ["certificates", "kubernetes"], ["ECONNRESET", "HTTP 503"]),
    Mode("Two schedulers run the {service} cron jobs twice",
         "After a scheduler failover, both the old and the new scheduler ran the {service} cron jobs, and every job ran twice for a day.",
         ["The old scheduler was not fenced off after the failover.", "The jobs were not idempotent.", "Duplicate runs were only visible in the job logs."],
         "A customer reported receiving every notification twice.",
         "The old scheduler was stopped and duplicate records were removed.",
         ["Fence the old leader after a failover.", "Make scheduled jobs idempotent."],
         ["Add leader election to the scheduler", "Make {service} jobs idempotent"],
         ["concurrency-problem", "rollback-failure"], ["scheduling", "batch"], ["ERROR 1213"]),
    Mode("Redis failover empties the cache in front of {service}",
         "A Redis failover in {region} promoted a replica with an empty dataset, and {service} sent every request to {component}, slowing pages for {minutes} minutes.",
         ["The replica had been resynchronising when the primary failed.", "The application had no protection against a cold cache.", "Users stayed logged in because sessions were stored elsewhere."],
         "Page latency alerts fired a few minutes after the failover.",
         "The cache warmed up on its own; a warm-up job was added for the next failover.",
         ["Check replica state before promoting it.", "Plan for a cold cache."],
         ["Block promotion of replicas that are not in sync", "Add a cache warm-up job"],
         ["infrastructure-issue", "rollback-failure"], ["caching", "redis"], ["HTTP 504", "ETIMEDOUT"]),
    Mode("Elasticsearch heap pressure slows search-api for {service}",
         "Nodes of the Elasticsearch cluster ran out of heap after a large aggregation query from {service}, long GC pauses followed, and search requests timed out.",
         ["One aggregation loaded millions of buckets into the heap.", "Circuit breakers were set above the heap size.", "Heap usage was graphed but not alerted on."],
         "Search latency alerts fired and GC logs showed long pauses.",
         "The query was blocked and the nodes restarted one at a time.",
         ["Limit query cost at the cluster.", "Alert on heap usage."],
         ["Lower the Elasticsearch circuit breaker limits", "Alert on JVM heap usage"],
         ["inadequate-planning", "insufficient-monitoring"], ["search", "elasticsearch"], ["java.lang.OutOfMemoryError", "HTTP 504"]),
    Mode("Kafka broker disk full stops {service} events",
         "A Kafka broker in {region} ran out of disk because retention was set per topic and one new topic kept data forever; producers in {service} failed with {error}.",
         ["The new topic had unlimited retention.", "Disk alerts on brokers were set too late.", "Partitions were not rebalanced across brokers."],
         "Producer errors in {service} paged the on-call engineer.",
         "Retention was set on the topic, old segments were deleted and the broker recovered.",
         ["Set default retention for every topic.", "Alert on broker disk usage."],
         ["Enforce a default retention for Kafka topics", "Alert on broker disk usage at 75%"],
         ["configuration-error", "insufficient-monitoring"], ["queues", "kafka", "storage"], ["ENOSPC"]),
    Mode("Partner webhook endpoint slows down and {service} retries pile up",
         "A partner's webhook endpoint slowed down, {service} retried failed webhook deliveries without limit, and the retry queue delayed all outgoing webhooks by hours.",
         ["One slow partner shared a queue with all other partners.", "Retries had no limit.", "Queue age was not monitored."],
         "Partners reported late webhooks before our alerts fired.",
         "The slow partner's deliveries were moved to a separate queue.",
         ["Isolate partners from each other.", "Limit retries."],
         ["Give each partner its own webhook queue", "Cap webhook retries"],
         ["inadequate-planning", "insufficient-monitoring"], ["webhooks", "queues", "third-party"], ["ETIMEDOUT", "HTTP 504"]),
    Mode("Email provider outage delays password reset emails from {service}",
         "An outage at our email provider delayed password reset and sign-up emails from {service} by up to three hours.",
         ["All transactional email went through one provider.", "There was no fallback provider.", "The provider's status page showed the problem late."],
         "Support tickets about password reset emails rose sharply.",
         "Emails were sent through a second provider until the first recovered.",
         ["Have a second email provider ready.", "Monitor email delivery times."],
         ["Add a fallback email provider", "Alert on email delivery delay"],
         ["dependency-problem"], ["email", "third-party"], ["HTTP 503"]),
    Mode("Database migration fails halfway on {component} and blocks the {service} deploy",
         "A database migration for {service} failed halfway on {component}, left a table in an inconsistent state and blocked every deploy until it was repaired by hand.",
         ["The migration was not wrapped in a transaction.", "It was tested only on an empty database.", "There was no down-migration."],
         "The deploy pipeline failed and release engineers were paged.",
         "The table was repaired by hand and the migration rewritten.",
         ["Make migrations transactional and reversible.", "Test migrations on production-like data."],
         ["Run migrations in a transaction", "Write down-migrations for schema changes"],
         ["incomplete-testing", "rollback-failure"], ["database", "migrations", "deployment"], ["SQLSTATE 40001"]),
]


@dataclass(slots=True)
class Needle:
    """A planted document about a known topic; queries name its id as the answer."""

    id: str
    mode: Mode
    service: str
    region: str


def _needle(doc_id: str, title: str, summary: str, factors: list[str], detection: str,
            resolution: str, lesson: str, action: str, causes: list[str], tags: list[str],
            service: str, region: str, error: str) -> Needle:
    mode = Mode(title, summary, factors, detection, resolution, [lesson, "Write down what was learned and share it."],
                [action, "Review similar systems for the same weakness"], causes, tags, [error])
    return Needle(doc_id, mode, service, region)


NEEDLES = [
    _needle("2021-03-04-mtls-certificate-expired-ledger",
            "Expired mTLS certificate between payments-api and ledger stops payments",
            "The internal mTLS certificate that payments-api presented to ledger expired at midnight, every TLS handshake failed, and card payments were declined for two hours.",
            ["The certificate had been issued by hand three years earlier.", "Nobody owned its renewal, and the expiry date was not monitored.", "Handshake failures were logged as generic connection errors."],
            "Declined payments were noticed by the payments team from the morning dashboards.",
            "A new certificate was issued and deployed to payments-api and ledger.",
            "Automate certificate renewal and alert thirty days before expiry.",
            "Issue internal certificates through the automated certificate authority",
            ["insufficient-monitoring", "inadequate-planning"], ["security", "certificates", "tls"], "payments-api", "eu-west-1", "ECONNRESET"),
    _needle("2023-09-18-cdn-tls-certificate-expiry",
            "Public TLS certificate on the CDN expires and browsers block the web-frontend",
            "The TLS certificate for the main domain on the CDN expired because the renewal job had failed silently, and browsers showed ERR_CERT_DATE_INVALID to every visitor of web-frontend.",
            ["The renewal job had failed for weeks after an API key was rotated.", "Its failures went to a mailbox nobody read.", "There was no external check of the certificate expiry date."],
            "Customers posted screenshots of the browser warning on social media.",
            "The certificate was renewed by hand and uploaded to the CDN.",
            "Monitor certificate expiry from outside, like a customer would.",
            "Add an external certificate expiry check",
            ["insufficient-monitoring", "dependency-problem"], ["security", "certificates", "cdn"], "web-frontend", "us-east-1", "ERR_CERT_DATE_INVALID"),
    _needle("2019-11-03-settlement-cron-ran-twice-dst",
            "Nightly settlement cron runs twice on the daylight saving change and pays merchants twice",
            "When clocks went back for daylight saving time, the nightly settlement cron job ran twice in the repeated hour and merchants were paid twice.",
            ["The scheduler used local time, not UTC.", "The settlement job was not idempotent.", "No test covered the hour that repeats when daylight saving ends."],
            "Finance noticed the duplicate payouts in the bank reconciliation the next morning.",
            "The duplicate payouts were reversed with the banks over three days.",
            "Schedule jobs in UTC and make payouts idempotent.",
            "Move all cron schedules to UTC",
            ["incomplete-testing", "concurrency-problem"], ["scheduling", "time", "batch"], "settlement", "eu-central-1", "ERROR 1213"),
    _needle("2024-03-31-daylight-saving-cron-skipped",
            "Daylight saving change skips the reporting cron job and reports are missing",
            "When clocks went forward for daylight saving time, the cron job scheduled at 02:30 local time never ran and the daily regulatory reports were not produced.",
            ["The cron schedule was in local time and 02:30 did not exist that night.", "Nothing checked that the job had run.", "The same problem had happened on an earlier daylight saving change without anyone noticing."],
            "The compliance team asked where the report was two days later.",
            "The job was run by hand and the schedule moved to UTC.",
            "Alert when a scheduled job does not run.",
            "Add a dead man's switch for every scheduled job",
            ["insufficient-monitoring", "inadequate-planning"], ["scheduling", "time", "batch"], "reporting", "eu-west-1", "HTTP 500"),
    _needle("2020-06-22-order-id-integer-overflow",
            "Order ids overflow a 32-bit integer column and checkout stops accepting orders",
            "The order id sequence passed 2,147,483,647, the largest value of the 32-bit integer column, and every insert into the orders table failed so checkout could not take orders.",
            ["The column was created as a 32-bit integer ten years earlier.", "Nobody tracked how close the sequence was to its limit.", "Changing the column type needed a long table rewrite."],
            "Checkout error alerts fired and the logs showed integer out of range errors.",
            "Orders were written to a new table with a 64-bit id while the old one was migrated.",
            "Track how close every sequence is to its type's limit.",
            "Migrate all id columns to 64-bit integers",
            ["inadequate-planning", "insufficient-monitoring"], ["database", "data-integrity"], "order-service", "us-east-2", "SQLSTATE 22003"),
    _needle("2022-02-14-unicode-username-duplicates",
            "Unicode normalisation difference lets users register duplicate usernames and take over accounts",
            "The sign-up form and the login service normalised Unicode usernames differently, so visually identical usernames mapped to different accounts and some accounts were taken over.",
            ["One service used NFC normalisation and another NFKC.", "Homoglyph usernames were never tested.", "The uniqueness check ran before normalisation."],
            "A security researcher reported the account takeover through the bug bounty.",
            "Usernames were normalised in one place and the duplicates were merged.",
            "Normalise Unicode input once, at the edge.",
            "Add Unicode homoglyph cases to the sign-up tests",
            ["security-vulnerability", "incomplete-testing"], ["security", "unicode", "accounts"], "identity-provider", "us-west-2", "HTTP 409"),
    _needle("2021-08-09-kafka-consumer-rebalance-loop",
            "Kafka consumer group stuck in a rebalance loop stops order events",
            "A slow message handler made consumers miss the poll interval, the Kafka consumer group rebalanced again and again, and no order events were processed for ninety minutes.",
            ["Handler time exceeded max.poll.interval.ms for large messages.", "Each rebalance restarted the slow messages from the beginning.", "Consumer lag alerts had been set too high."],
            "Consumer lag on the orders topic grew until the on-call engineer was paged.",
            "The poll interval was raised and large messages were moved to a separate topic.",
            "Keep handler time well inside the poll interval.",
            "Alert on rebalance rate for every consumer group",
            ["concurrency-problem", "insufficient-monitoring"], ["queues", "kafka"], "order-service", "eu-west-1", "CommitFailedException"),
    _needle("2018-05-12-elasticsearch-split-brain",
            "Elasticsearch split brain elects two masters and search results diverge",
            "After a network blip, the Elasticsearch cluster behind search-api elected two masters, each half accepted writes, and search results differed from one request to the next.",
            ["minimum_master_nodes was set to 1 on a five-node cluster.", "The setting had been copied from a development cluster.", "The network blip lasted long enough for a new master election."],
            "Customers reported products that appeared and disappeared in search.",
            "One half of the cluster was shut down and the index rebuilt from the database.",
            "Set quorum settings from the cluster size, and check them.",
            "Validate Elasticsearch quorum settings in CI",
            ["configuration-error", "infrastructure-issue"], ["search", "elasticsearch", "split-brain"], "search-api", "us-east-1", "HTTP 500"),
    _needle("2022-10-30-logrotate-disk-full",
            "Broken logrotate configuration fills the disk of the api-gateway nodes",
            "A syntax error in a new logrotate configuration stopped log rotation on the api-gateway nodes, the disks filled up within four days and the gateway stopped accepting connections.",
            ["The logrotate file was changed without a dry run.", "logrotate reported the error only in its own log.", "Disk alerts were set at 99%."],
            "The gateway failed health checks when its disks were full.",
            "Old logs were deleted and the logrotate configuration fixed.",
            "Check configuration files with their own dry-run mode before shipping.",
            "Run logrotate -d on configuration changes in CI",
            ["configuration-error", "insufficient-monitoring"], ["logging", "storage"], "api-gateway", "us-west-2", "ENOSPC"),
    _needle("2023-04-03-stale-pricing-feature-flag-cache",
            "Stale feature flag cache serves old prices for a day",
            "A feature flag that switched on new prices was cached by the pricing service with no expiry, so half the instances kept serving old prices for a whole day.",
            ["The flag client cached values forever after a network error.", "Instances disagreed and nobody compared them.", "Price differences were only visible in the finance reports."],
            "Customers complained about different prices on the website and the mobile app.",
            "The pricing service was restarted and the flag cache given a five-minute expiry.",
            "Caches of feature flags need an expiry.",
            "Expire cached flag values after five minutes",
            ["configuration-error", "dependency-problem"], ["feature-flags", "caching"], "pricing", "eu-central-1", "HTTP 200"),
    _needle("2020-01-27-jvm-gc-pauses-fraud",
            "Long JVM garbage collection pauses make fraud-detection time out payments",
            "After a heap size increase, the fraud-detection service suffered stop-the-world garbage collection pauses of up to twelve seconds, and payment authorisations timed out.",
            ["The heap was enlarged without switching the garbage collector.", "Load tests ran for ten minutes, too short to see full collections.", "GC pause times were not on any dashboard."],
            "Payment timeout alerts fired during the evening peak.",
            "The heap was reduced and the service switched to the G1 collector.",
            "Watch GC pause times as closely as latency.",
            "Add GC pause metrics and alerts for fraud-detection",
            ["incomplete-testing", "insufficient-monitoring"], ["jvm", "latency"], "fraud-detection", "us-east-1", "java.lang.OutOfMemoryError"),
    _needle("2022-07-19-thundering-herd-cache-flush",
            "Full cache flush causes a thundering herd on the catalog database",
            "An engineer flushed the whole product cache to fix one stale entry, and the thundering herd of cache misses overloaded the catalog database for forty minutes.",
            ["The tool offered a full flush with no warning.", "The cache had no request coalescing.", "The database could not serve the uncached load."],
            "Catalog latency alerts fired within a minute of the flush.",
            "Traffic was throttled at the gateway while the cache warmed up.",
            "Invalidate single keys, never the whole cache, and coalesce misses.",
            "Remove the full-flush command from the cache tool",
            ["human-error", "inadequate-planning"], ["caching", "database"], "catalog", "ap-southeast-2", "HTTP 503"),
    _needle("2021-05-06-bgp-route-leak-transit",
            "BGP route leak by a transit provider sends our traffic through another continent",
            "A transit provider leaked our BGP prefixes from a customer's router, and traffic to the api-gateway in sa-east-1 took a detour through another continent with heavy packet loss.",
            ["Our prefixes had no RPKI route origin authorisations.", "The transit provider did not filter its customer's announcements.", "We had no monitoring of our prefixes from outside."],
            "Latency alerts from South American users fired; an external BGP monitor confirmed the leak.",
            "The transit provider filtered the leaked routes after we contacted them.",
            "Publish RPKI ROAs and watch your prefixes from outside.",
            "Sign prefixes with RPKI ROAs",
            ["dependency-problem", "insufficient-monitoring"], ["networking", "bgp"], "api-gateway", "sa-east-1", "ETIMEDOUT"),
    _needle("2019-02-01-domain-registration-lapsed",
            "Domain registration lapses because the registrar renewal card had expired",
            "The registration of a domain used for customer emails lapsed because the credit card on file at the registrar had expired, and the domain stopped resolving.",
            ["Renewal notices went to a former employee's mailbox.", "The registrar account had no second contact.", "Nobody tracked domain expiry dates."],
            "Customers reported emails bouncing and links not resolving.",
            "The domain was renewed by phone with the registrar's support team.",
            "Track domain registrations as critical assets.",
            "Move all domains to one registrar account with auto-renew",
            ["inadequate-planning", "human-error"], ["dns", "domains"], "notifications", "us-east-1", "NXDOMAIN"),
    _needle("2023-06-12-rate-limiter-429-mobile",
            "Rate limiter misconfiguration returns HTTP 429 to every mobile app user",
            "A rate limiter rule meant for one abusive client was applied to the shared IP range of a mobile carrier, and the mobile app got HTTP 429 Too Many Requests for most users.",
            ["The rule matched a carrier-grade NAT range.", "It was deployed without a dry-run mode.", "429 responses were not alerted on."],
            "App store reviews and support tickets reported the app stuck on an error screen.",
            "The rule was removed and replaced with a per-token limit.",
            "Rate limit by identity, not by IP address.",
            "Add a dry-run mode to the rate limiter",
            ["configuration-error"], ["rate-limiting", "mobile"], "mobile-backend", "ap-northeast-1", "HTTP 429"),
    _needle("2022-03-08-migration-locked-orders-table",
            "Database migration takes an exclusive lock on the orders table for 25 minutes",
            "An ALTER TABLE migration that added a column with a default took an exclusive lock on the orders table, and checkout was blocked for 25 minutes during the lunchtime peak.",
            ["The migration tool did not warn about the table lock.", "The orders table was a hundred times larger in production than in staging.", "The migration ran automatically as part of the deploy."],
            "Checkout latency alerts fired and lock waits filled the database logs.",
            "The migration was cancelled and re-run at night with an online schema change tool.",
            "Review migrations for locks on large tables.",
            "Lint migrations for locking statements in CI",
            ["incomplete-testing", "inadequate-planning"], ["database", "migrations"], "checkout", "eu-west-1", "SQLSTATE 55P03"),
    _needle("2020-09-15-public-bucket-customer-exports",
            "Bucket policy change makes customer export files public",
            "A bucket policy change meant for static assets was applied to the bucket holding customer data exports, which became publicly readable for nine days.",
            ["The two buckets shared a policy template.", "There was no check for public access on data buckets.", "The change was approved by a reviewer who did not know what the bucket held."],
            "An external researcher reported the public files.",
            "Public access was blocked and access logs reviewed for downloads.",
            "Block public access on every data bucket by default.",
            "Enable account-wide public access blocking",
            ["security-vulnerability", "configuration-error"], ["security", "storage", "data-exposure"], "reporting", "us-east-1", "HTTP 200"),
    _needle("2021-11-22-cleanup-job-deleted-production-data",
            "Cleanup job pointed at production deletes customer uploads",
            "A cleanup job written to delete test files in staging ran with production credentials because of a wrong environment variable, and deleted two days of customer uploads.",
            ["The job read its target from an environment variable with a production default.", "Production credentials were available in the staging cluster.", "Deletes were permanent, with no soft delete."],
            "Customers reported missing uploads the next morning.",
            "Most files were restored from the nightly backup; two hours of uploads were lost.",
            "Destructive jobs should default to a dry run and never to production.",
            "Remove production credentials from the staging cluster",
            ["human-error", "configuration-error", "rollback-failure"], ["data-loss", "storage"], "media-upload", "us-west-2", "HTTP 404"),
    _needle("2023-02-27-thumbnail-memory-leak",
            "Memory leak in thumbnail resizing restarts media-upload every hour",
            "A new image library version leaked memory when resizing thumbnails of large PNG files, and media-upload containers were OOMKilled roughly every hour.",
            ["The leak only happened with large PNG images.", "Tests used small JPEG fixtures.", "Restarts hid the leak for a week."],
            "Upload failures rose during the restarts and users reported broken thumbnails.",
            "The image library was pinned to the previous version.",
            "Test image processing with large and unusual files.",
            "Add large PNG fixtures to the thumbnail tests",
            ["dependency-problem", "incomplete-testing"], ["memory", "images"], "media-upload", "eu-west-1", "OOMKilled"),
    _needle("2018-09-04-health-check-path-all-unhealthy",
            "Load balancer health check path change marks all backends unhealthy",
            "A change to the health check path on the load balancer pointed it at a URL that returned a redirect, so every backend was marked unhealthy and the site went down.",
            ["The new path returned 301, which the load balancer treated as a failure.", "The change was applied to all target groups at once.", "The load balancer had no fail-open behaviour."],
            "Every synthetic check failed at once and the on-call engineer was paged.",
            "The health check path was reverted.",
            "Health checks should fail open when every backend fails.",
            "Enable fail-open on the load balancer target groups",
            ["configuration-error"], ["load-balancer", "health-check"], "web-frontend", "us-east-1", "HTTP 503"),
    _needle("2024-01-09-redis-eviction-logged-out",
            "Redis maxmemory eviction removes sessions and logs users out",
            "The session-store Redis reached maxmemory after a new cache key was added to it, the allkeys-lru eviction policy evicted user sessions, and users were logged out repeatedly.",
            ["Sessions and a new cache shared one Redis instance.", "The eviction policy allowed sessions to be evicted.", "Evictions were not monitored."],
            "Support tickets about users being logged out piled up.",
            "The cache was moved to its own Redis and the eviction policy changed to noeviction for sessions.",
            "Keep sessions apart from caches.",
            "Alert on Redis evicted_keys",
            ["configuration-error", "inadequate-planning"], ["caching", "sessions", "redis"], "session-store", "us-east-1", "OOM command not allowed"),
    _needle("2022-05-25-webhook-signature-verification",
            "Payment provider changes webhook signature format and payment confirmations fail",
            "Our payment provider rotated its webhook signing scheme, our signature verification rejected every webhook, and payment confirmations were not recorded for six hours.",
            ["The provider announced the change in a developer newsletter.", "Rejected webhooks were logged at debug level.", "No alert watched the webhook acceptance rate."],
            "Customers asked why paid orders still showed as pending.",
            "Verification was updated to the new scheme and the provider replayed the webhooks.",
            "Watch the acceptance rate of incoming webhooks.",
            "Alert when webhook verification failures exceed one percent",
            ["dependency-problem", "insufficient-monitoring"], ["payments", "webhooks", "third-party"], "payments-api", "eu-west-1", "HTTP 401"),
    _needle("2021-02-02-dkim-password-reset-spam",
            "DKIM key rotation sends password reset emails to spam",
            "A DKIM key rotation published the new public key under the wrong selector, so password reset and sign-up emails failed DKIM checks and went to spam folders for three days.",
            ["The DNS change and the mail server change were done by different teams.", "No check verified DKIM signatures after the rotation.", "Bounce and spam rates were not monitored."],
            "Support noticed a rise in tickets saying password reset emails never arrived.",
            "The DNS record was corrected under the right selector.",
            "Verify mail authentication end to end after every change.",
            "Add a synthetic email delivery check with DKIM verification",
            ["configuration-error", "insufficient-monitoring"], ["email", "dns"], "notifications", "us-east-1", "550 5.7.1"),
    _needle("2023-08-21-crashloopbackoff-missing-secret",
            "Missing Kubernetes secret puts the auth-service deployment in CrashLoopBackOff",
            "A deploy of auth-service referenced a Kubernetes secret that had not been created in the production namespace, every new pod went into CrashLoopBackOff, and logins failed when old pods were scaled down.",
            ["The secret existed in staging but not in production.", "The rollout did not pause when new pods failed.", "The deployment removed old pods before new ones were ready."],
            "Login error alerts fired as the rollout progressed.",
            "The secret was created and the rollout resumed.",
            "Deployments must not remove healthy pods before new ones are ready.",
            "Set maxUnavailable to zero for auth-service",
            ["configuration-error", "incomplete-testing"], ["kubernetes", "secrets"], "auth-service", "europe-west4", "CrashLoopBackOff"),
    _needle("2020-04-14-poison-message-queue-stuck",
            "Poison message blocks the notifications queue for six hours",
            "A malformed message that the consumer could not parse was retried forever at the head of the notifications queue, and no other notifications were sent for six hours.",
            ["The consumer had no dead-letter queue.", "Retries of the same message were unlimited.", "The queue was processed strictly in order."],
            "Users reported missing order confirmation emails.",
            "The message was removed by hand and a dead-letter queue added.",
            "Every queue needs a dead-letter queue and a retry limit.",
            "Add a dead-letter queue to every consumer",
            ["incomplete-testing", "insufficient-monitoring"], ["queues"], "notifications", "us-west-2", "JSONDecodeError"),
    _needle("2021-07-07-reindex-alias-empty-index",
            "Search returns no results after a reindex swaps the alias to an empty index",
            "A scheduled reindex failed halfway, but the job still swapped the search alias to the new, empty index, and product search returned no results for two hours.",
            ["The job did not check the document count before the alias swap.", "Zero-result searches were not alerted on.", "The failure of the reindex step was logged as a warning."],
            "Merchants reported that their products had vanished from search.",
            "The alias was pointed back to the previous index.",
            "Check a new index before switching traffic to it.",
            "Compare document counts before every alias swap",
            ["incomplete-testing", "insufficient-monitoring"], ["search", "elasticsearch"], "search-api", "eu-central-1", "HTTP 200"),
    _needle("2022-11-28-serialization-failures-40001",
            "Serialization failures SQLSTATE 40001 after moving to serializable isolation",
            "After ledger moved its transactions to serializable isolation, concurrent transfers failed with SQLSTATE 40001 serialization failures and the application did not retry them.",
            ["The application treated 40001 as a fatal error instead of retrying.", "Load tests did not run concurrent transfers on the same accounts.", "The isolation change was bundled with an unrelated release."],
            "Transfer failure alerts fired during the month-end peak.",
            "Retries for serialization failures were added and released the same day.",
            "Serializable isolation requires retry logic in the application.",
            "Retry transactions that fail with SQLSTATE 40001",
            ["concurrency-problem", "incomplete-testing"], ["database", "transactions"], "ledger", "eu-west-1", "SQLSTATE 40001"),
    _needle("2019-08-26-ipv6-aaaa-records",
            "Publishing AAAA records breaks the site for IPv6 users",
            "IPv6 AAAA records were published for the web-frontend before the load balancers accepted IPv6 traffic, so users on IPv6 networks could not reach the site.",
            ["The DNS change and the load balancer change were planned as one but released separately.", "Tests ran only from IPv4 networks.", "Happy Eyeballs hid the problem for many browsers."],
            "Users on one mobile network reported the site unreachable.",
            "The AAAA records were removed until the load balancers were ready.",
            "Test from IPv6-only networks before publishing AAAA records.",
            "Add IPv6-only synthetic checks",
            ["incomplete-testing", "configuration-error"], ["dns", "ipv6", "networking"], "web-frontend", "ap-southeast-2", "ETIMEDOUT"),
    _needle("2023-12-05-autoscaler-scale-in-killed-jobs",
            "Autoscaler scale-in kills in-flight batch jobs on worker nodes",
            "The cluster autoscaler removed worker nodes that were still running long batch jobs, killing them halfway through, and the data-pipeline missed its morning deadline.",
            ["Batch pods had no eviction protection.", "Jobs could not resume from a checkpoint.", "The scale-in delay was set to one minute."],
            "The morning data-pipeline report showed missing partitions.",
            "The jobs were rerun and batch pods marked as not safe to evict.",
            "Protect long-running jobs from scale-in, or let them checkpoint.",
            "Mark batch pods safe-to-evict=false",
            ["configuration-error", "inadequate-planning"], ["kubernetes", "autoscaling", "batch"], "data-pipeline", "us-central1", "SIGTERM"),
    _needle("2024-06-17-hot-partition-key",
            "Hot partition key overloads one Cassandra node during a flash sale",
            "During a flash sale every order was written under the same partition key, the sale id, and one Cassandra node took all the writes until it fell over.",
            ["The data model used the sale id as partition key.", "Load tests spread writes over many sales.", "Per-node metrics were not on the dashboard."],
            "Write timeouts on cart rose and one node showed 100% CPU.",
            "Writes were bucketed by sale id and hour and the node replaced.",
            "Model partition keys for the worst day, not the average one.",
            "Review partition keys for hot spots",
            ["inadequate-planning", "incomplete-testing"], ["database", "cassandra"], "cart", "us-east-1", "WriteTimeoutException"),
]


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)[:60]


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(doc_id: str, mode: Mode, rng: random.Random, *, service: str | None = None,
           region: str | None = None) -> str:
    """One post-mortem in the project's Markdown format."""
    service = service or rng.choice(SERVICES)
    others = [s for s in SERVICES if s != service]
    service2 = rng.choice(others)
    region = region or rng.choice(REGIONS)
    error = rng.choice(mode.errors or ERRORS) if rng.random() < 0.8 else rng.choice(ERRORS)
    slots = {
        "service": service, "service2": service2, "region": region, "error": error,
        "component": rng.choice(COMPONENTS), "feature": rng.choice(FEATURES),
        "minutes": str(rng.randint(12, 240)), "pct": str(rng.randint(3, 95)),
        "count": str(rng.randint(40, 4000)), "team": rng.choice(TEAMS),
    }
    title = _fill(mode.title, slots)
    title = title[0].upper() + title[1:]
    summary = _fill(mode.summary, slots)
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 3900))
    start = datetime(day.year, day.month, day.day, rng.randint(0, 22), rng.choice([0, 10, 20, 30, 40, 50]))
    detect = start + timedelta(minutes=rng.randint(2, 90))
    resolve = detect + timedelta(minutes=int(slots["minutes"]) + rng.randint(10, 300))
    tags = sorted(set(mode.tags) | set(rng.sample(TAGS, 2)))
    services = [service] + ([service2] if rng.random() < 0.6 else [])
    noise = [_fill(s, slots) for s in rng.sample(NOISE, 3)]
    team = slots["team"]
    due = day + timedelta(days=rng.randint(14, 120))

    def t(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M")

    factors = [_fill(f, slots) for f in mode.factors]
    lines = [
        "---",
        f"title: {_quote(title)}",
        f"date: {day.isoformat()}",
        "kind: postmortem",
        "status: published",
        f"severity: {rng.randint(1, 4)}",
        f"organization: {rng.choice(ORGS)}",
        f"services: {_yaml_list(services)}",
        f"started: {start.strftime('%Y-%m-%dT%H:%MZ')}",
        f"detected: {detect.strftime('%Y-%m-%dT%H:%MZ')}",
        f"resolved: {resolve.strftime('%Y-%m-%dT%H:%MZ')}",
        f"causes: {_yaml_list(mode.causes)}",
        f"tags: {_yaml_list(tags)}",
        f"summary: {_quote(summary)}",
        "---",
        "",
        "## Summary",
        "",
        f"{summary} {noise[0]} The incident affected {service} and, through it, {service2}.",
        "",
        "## Impact",
        "",
        f"- {slots['pct']}% of requests to {service} in {region} failed with {error}.",
        f"- Customers of {service2} saw delays for about {slots['minutes']} minutes.",
        f"- {noise[1]}",
        "",
        "## Timeline",
        "",
        f"- {t(start)} — {factors[0]}",
        f"- {t(detect)} — {_fill(mode.detection, slots)}",
        f"- {t(detect + timedelta(minutes=9))} — An incident is declared and {team} joins the call.",
        f"- {t(resolve - timedelta(minutes=25))} — {_fill(mode.resolution, slots)}",
        f"- {t(resolve)} — Error rates are back to normal and the incident is closed.",
        "",
        "## Contributing factors",
        "",
        " ".join(factors),
        "",
        "## Detection",
        "",
        f"{_fill(mode.detection, slots)} {noise[2]}",
        "",
        "## Resolution",
        "",
        f"{_fill(mode.resolution, slots)} On-call engineers from {team} watched {service} for another hour before closing the incident.",
        "",
        "## Lessons learned",
        "",
        *[f"- {_fill(lesson, slots)}" for lesson in mode.lessons],
        "",
        "## Action items",
        "",
        *[f"- [{'x' if rng.random() < 0.5 else ' '}] {_fill(action, slots)} — owner: {team}, due: {due.isoformat()}"
          for action in mode.actions],
        "",
    ]
    return "\n".join(lines)


def needle_positions(count: int) -> dict[int, Needle]:
    """Where in a corpus of `count` documents each needle is planted (spread evenly)."""
    if count < len(NEEDLES):
        raise ValueError(f"a corpus needs at least {len(NEEDLES)} documents for its needles")
    step = count / len(NEEDLES)
    return {int(i * step + step / 2): needle for i, needle in enumerate(NEEDLES)}


def documents(count: int, seed: int = DEFAULT_SEED) -> Iterator[tuple[str, str]]:
    """``(relative path, Markdown)`` of every document of the corpus, in order."""
    planted = needle_positions(count)
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        needle = planted.get(i)
        if needle is not None:
            text = render(needle.id, needle.mode, rng, service=needle.service, region=needle.region)
            yield f"postmortems/{needle.id}.md", text
            continue
        mode = BACKGROUND[rng.randrange(len(BACKGROUND))]
        text = render("", mode, rng)
        # File stem = id: the date, a slug of the title, a serial number for uniqueness.
        day = text.split("\ndate: ", 1)[1][:10]
        title = text.split("\ntitle: ", 1)[1].split("\n", 1)[0]
        yield f"postmortems/{day}-{_slug(title)[:40]}-{i:06d}.md", text


def write(folder: Path, count: int, seed: int = DEFAULT_SEED) -> Path:
    """Write a corpus of `count` post-mortems (and the taxonomy) into an empty `folder`."""
    folder = Path(folder)
    (folder / "postmortems").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TAXONOMY, folder / "taxonomy.yml")
    for rel, text in documents(count, seed):
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


# -- recording results -----------------------------------------------------------------

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """One line about the machine: architecture, CPU model, cores, Python, date."""
    import os
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    now = datetime.now().astimezone()
    import subprocess

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip() or "unknown"
    return (f"Code: commit `{head}` (plus uncommitted changes, if any). "
            f"Machine: `{platform.machine()}`, {cpu}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}; "
            f"run {now.strftime('%Y-%m-%d %H:%M %Z')}; load average when recorded "
            f"{os.getloadavg()[0]:.1f} (the machine is shared, so times vary).")


def record(title: str, body: str) -> None:
    """Append a dated section to benchmarks/RESULTS.md (never rewriting what is there)."""
    today = date.today().isoformat()
    section = f"\n## {today} — {title}\n\n{machine()}\n\n{body}\n"
    with RESULTS.open("a", encoding="utf-8") as out:
        if out.tell() == 0:
            out.write("# Benchmark results\n\nDated sections, appended by the benchmark scripts "
                      "(`--record`) and by people; newest last.\n")
        out.write(section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    write(args.folder, args.count, args.seed)
    print(f"wrote {args.count} post-mortems to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
