//! A broker: one Kafka server process (`node.id` 1, 2, 3 … as in the KRaft quick-starts), and
//! what the controller believes about it.
//!
//! Two views of a broker matter and they can disagree — which is the whole story of failover:
//! * the **process**: running, stopped (graceful, `kafka-server-stop.sh`) or crashed (`kill -9`,
//!   power loss);
//! * the controller's **registration**: *fenced* or *unfenced*. Brokers heartbeat the active
//!   controller every `broker.heartbeat.interval.ms` (2000); one that misses
//!   `broker.session.timeout.ms` (9000) is fenced: removed from every ISR, and its leaderships
//!   move. Until then a crashed broker is still "the leader" in everybody's metadata and
//!   requests to it time out. A graceful stop is a *controlled shutdown*: the broker asks the
//!   controller to move its leaderships first, so clients barely notice.
//! * A restarted broker registers again (a new incarnation): it stays fenced until the
//!   controller has processed the registration, then its replicas catch up and rejoin ISRs.
//!
//! Mirrors `BrokerRegistration` / `ClusterControlManager` / `BrokerHeartbeatManager` in the
//! controller (apache/kafka `metadata/src/main/java/org/apache/kafka/controller/`).

use serde::{Deserialize, Serialize};

/// A broker's `node.id`.
pub type BrokerId = u32;

/// Most brokers the simulator runs.
pub const MAX_BROKERS: u32 = 6;

/// What the broker process is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerProcess {
    Running,
    /// Shut down gracefully (controlled shutdown).
    Stopped,
    /// Killed: no goodbye, noticed after `broker.session.timeout.ms`.
    Crashed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broker {
    pub id: BrokerId,
    pub process: BrokerProcess,
    /// Fenced by the controller: may not lead or be in an ISR.
    pub fenced: bool,
    /// Restarted, waiting for the controller to process its new registration.
    pub registering: bool,
    /// When the controller fences it if it stays silent (while down and unfenced).
    pub session_deadline_ms: u64,
}

impl Broker {
    pub fn new(id: BrokerId) -> Self {
        Broker {
            id,
            process: BrokerProcess::Running,
            fenced: false,
            registering: false,
            session_deadline_ms: 0,
        }
    }

    /// Running, registered and unfenced: it can lead, follow and answer clients.
    pub fn is_serving(&self) -> bool {
        self.process == BrokerProcess::Running && !self.fenced && !self.registering
    }

    pub fn is_running(&self) -> bool {
        self.process == BrokerProcess::Running
    }

    /// A short state name for views: `online`, `fenced`, `starting`, `stopped`, `crashed`.
    pub fn state_name(&self) -> &'static str {
        match self.process {
            BrokerProcess::Running if self.registering => "starting",
            BrokerProcess::Running if self.fenced => "fenced",
            BrokerProcess::Running => "online",
            BrokerProcess::Stopped => "stopped",
            BrokerProcess::Crashed => "crashed",
        }
    }
}

/// Broker `b` in a list indexed by id − 1.
pub fn broker(brokers: &[Broker], id: BrokerId) -> Option<&Broker> {
    brokers.get((id as usize).wrapping_sub(1))
}

/// Is broker `id` serving?
pub fn serving(brokers: &[Broker], id: BrokerId) -> bool {
    broker(brokers, id).is_some_and(Broker::is_serving)
}
