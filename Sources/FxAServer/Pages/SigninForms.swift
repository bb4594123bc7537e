/// The markup both sign-in pages share (the RP's `/authorization` page and
/// the server's own `/signin`): the email, password, code and
/// forgot-password steps that `/assets/signin.js` drives, and the place for
/// the message it shows. The reset's password fields have no `name`, so no
/// form submission could ever carry them.
/// Only one step is visible at a time; without JavaScript the page says
/// why it cannot work (the password is stretched in the browser).
enum SigninForms {
    /// The steps, with `consent` (already escaped) as the last one.
    static func markup(consent: String) -> String {
        """
        <noscript><p class="error">This page needs JavaScript: your password is protected in your browser and never sent to the server.</p></noscript>
        <form id="email-form" hidden>
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="email" required maxlength="255">
        <button type="submit">Continue</button>
        </form>
        <form id="password-form" hidden>
        <p><strong id="password-email"></strong><br><span id="password-intro" class="muted"></span></p>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <div id="confirm-row" hidden>
        <label for="password-confirm">Repeat password</label>
        <input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password">
        </div>
        <button id="password-submit" type="submit">Sign in</button>
        <button id="forgot" type="button" class="secondary">Forgot your password?</button>
        </form>
        <form id="forgot-code-form" hidden>
        <p>We emailed a code to <strong id="forgot-email"></strong> to reset your password.</p>
        <label for="forgot-code">Code</label>
        <input id="forgot-code" name="forgot-code" inputmode="numeric" autocomplete="one-time-code" required maxlength="32">
        <button type="submit">Continue</button>
        </form>
        <form id="reset-form" hidden>
        <p class="muted">A new password signs you out everywhere and replaces your encryption keys: data encrypted with the old ones (such as synced passwords) can no longer be read.</p>
        <label for="reset-password">New password</label>
        <input id="reset-password" type="password" autocomplete="new-password" minlength="8" required>
        <label for="reset-password-confirm">Repeat the new password</label>
        <input id="reset-password-confirm" type="password" autocomplete="new-password" required>
        <button type="submit">Reset password</button>
        </form>
        <form id="code-form" hidden>
        <p>We emailed a confirmation code to <strong id="code-email"></strong>.</p>
        <label for="code">Code</label>
        <input id="code" name="code" autocomplete="one-time-code" required maxlength="32">
        <button type="submit">Confirm</button>
        <button id="resend" type="button" class="secondary">Send a new code</button>
        </form>
        \(consent)
        <p id="message" role="alert" aria-live="polite"></p>
        """
    }
}
