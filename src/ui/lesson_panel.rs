//! The guided lesson card: the step's narration, what to watch, a "predict" question, and
//! Back / Do it for me / Next. Next waits until the simulator reaches the step's condition;
//! Back replays the session to where that step began (the sim is deterministic, so this is
//! real time travel, not an undo list).

use super::sim::Sim;
use leptos::prelude::*;

#[component]
pub fn LessonPanel() -> impl IntoView {
    let sim = expect_context::<Sim>();
    // The learner's answer to this step's question, and whether "Do it for me" was pressed.
    let chosen = RwSignal::new(None::<usize>);
    let acted = RwSignal::new(false);
    let step_key = Memo::new(move |_| {
        sim.loads.track();
        sim.lesson
            .with(|l| l.as_ref().map(|l| (l.lesson.id, l.step)))
    });
    Effect::new(move |_| {
        step_key.track();
        chosen.set(None);
        acted.set(false);
    });
    let done = Memo::new(move |_| {
        let Some((lesson, step)) = sim.lesson.with(|l| l.as_ref().map(|l| (l.lesson, l.step)))
        else {
            return false;
        };
        match lesson.steps[step].done {
            Some(cond) => sim.with(cond),
            None => true,
        }
    });
    let go = move |delta: i32| {
        let Some(mut l) = sim.lesson.get_untracked() else {
            return;
        };
        // A new step starts unanswered and not yet acted on (before it renders).
        chosen.set(None);
        acted.set(false);
        if delta > 0 {
            if l.step + 1 >= l.lesson.steps.len() {
                sim.lesson.set(None);
                sim.show(
                    "Lesson complete. The simulation is yours now: keep experimenting.".into(),
                    false,
                );
                return;
            }
            l.marks
                .push([sim.applied_count() as u64, sim.peek(|w| w.now_ms())]);
            l.step += 1;
        } else {
            if l.step == 0 {
                return;
            }
            let [applied, at_ms] = l.marks[l.step - 1];
            if let Err(e) = sim.rewind(applied as usize, at_ms) {
                sim.show(e, true);
                return;
            }
            l.marks.truncate(l.step);
            l.step -= 1;
        }
        sim.lesson.set(Some(l));
    };
    let act = move |_| {
        let Some(l) = sim.lesson.get_untracked() else {
            return;
        };
        if let Some(a) = &l.lesson.steps[l.step].act {
            acted.set(true);
            for c in sim.peek(a.commands) {
                if sim.send(c).is_none() {
                    break;
                }
            }
        }
    };

    // One closure renders the whole card from plain values: cheaper in wasm than a reactive
    // closure per attribute, and the card only changes on a step, an answer or "done".
    move || {
        let l = sim.lesson.get()?;
        let (chosen_now, acted_now, done_now) = (chosen.get(), acted.get(), done.get());
        let lesson = l.lesson;
        let step = &lesson.steps[l.step];
        let count = lesson.steps.len();
        let next = if l.step + 1 == count {
            "Finish"
        } else {
            "Next"
        };
        let predict = step.predict.as_ref().map(|p| {
            let choices = sim.peek(p.choices);
            let verdict = chosen_now.map(|i| {
                let right = sim.peek(p.answer);
                let answer = choices.get(right).cloned().unwrap_or_default();
                let text = if i == right { "Right! " } else { "Not quite. " };
                (i == right, format!("{text}The simulator says: {answer}"))
            });
            view! {
                <div class="predict" role="group" aria-label="predict">
                    <p class="predict-q">{format!("Predict: {}", p.question)}</p>
                    <div class="predict-choices">
                        {choices
                            .into_iter()
                            .enumerate()
                            .map(|(i, c)| {
                                view! {
                                    <button
                                        class="btn btn-small"
                                        aria-pressed=(chosen_now == Some(i)).to_string()
                                        disabled=chosen_now.is_some()
                                        on:click=move |_| chosen.set(Some(i))
                                    >
                                        {c}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                    {verdict.map(|(right, text)| view! { <p class="predict-answer" class:right=right>{text}</p> })}
                </div>
            }
        });
        let act_button = step.act.as_ref().map(|a| {
            view! {
                <button class="btn" disabled=acted_now || done_now on:click=act>
                    {format!("Do it for me: {}", a.label)}
                </button>
            }
        });
        Some(view! {
            <section class="panel lesson" aria-label="lesson">
                <div class="lesson-head">
                    <h2 class="panel-title">{lesson.title}</h2>
                    <span class="lesson-count">{format!("Step {} of {count}", l.step + 1)}</span>
                    <button class="btn btn-small" aria-label="leave the lesson" on:click=move |_| sim.lesson.set(None)>"×"</button>
                </div>
                <h3 class="lesson-step">{step.title}</h3>
                <p class="lesson-text">{step.text}</p>
                <p class="lesson-watch">{format!("Watch: {}", step.watch)}</p>
                {predict}
                <div class="lesson-actions">
                    <button class="btn" disabled=l.step == 0 on:click=move |_| go(-1)>"Back"</button>
                    {act_button}
                    <span class="lesson-status" class:done=done_now>
                        {if done_now { "✓ done" } else { "waiting…" }}
                    </span>
                    <button class="btn btn-primary" disabled=!done_now on:click=move |_| go(1)>{next}</button>
                </div>
            </section>
        })
    }
}
