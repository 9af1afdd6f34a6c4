// The planner's one hand-written behaviour: tick the units of a plan in the audit form.
function rocTick(button) {
  const refs = new Set(button.dataset.tick.split(" "));
  const form = document.getElementById("audit-form");
  for (const box of form.querySelectorAll('input[name="units"]')) box.checked = refs.has(box.value);
  form.dispatchEvent(new Event("change", { bubbles: true }));
}
