import { ID } from "../../console-contract";
import { byId } from "../dom";

/**
 * Asks before an action that mails people or cannot be undone, in the page's modal dialog. Focus
 * starts on "no"; Escape, "no" and closing all answer false.
 */
export function confirmAction(options: { title: string; text: string; yes: string }): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>(ID.confirmDialog);
  const yesButton = byId<HTMLButtonElement>(ID.confirmYes);
  const noButton = byId<HTMLButtonElement>(ID.confirmNo);
  byId(ID.confirmTitle).textContent = options.title;
  byId(ID.confirmText).textContent = options.text;
  yesButton.textContent = options.yes;
  return new Promise((resolve) => {
    const settle = (answer: boolean) => {
      yesButton.removeEventListener("click", yes);
      noButton.removeEventListener("click", no);
      dialog.removeEventListener("close", no);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const yes = () => settle(true);
    const no = () => settle(false);
    yesButton.addEventListener("click", yes);
    noButton.addEventListener("click", no);
    dialog.addEventListener("close", no);
    dialog.showModal();
    noButton.focus();
  });
}
