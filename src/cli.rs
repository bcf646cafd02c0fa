//! Native CLI (placeholder until the simulation core lands).

pub fn main(_args: Vec<String>) -> i32 {
    eprintln!("kafkascope: not implemented yet");
    2
}
