/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { layout } from "@mission-mail/web/layout";

/** The local start page: where everything is. */
export function indexPage(urls: { site: string; mailbox: string; dynamodb: string }): string {
  return layout(
    "en",
    "Local development",
    <>
      <h1>Mission Mail, running locally</h1>
      <h2>Public pages</h2>
      <ul>
        <li>
          <a href="/missions">Missions overview</a> (Swedish) and <a href="/missions?lang=en">in English</a>, with the sign-up widget
        </li>
        <li>
          <a href="/missions/food-system?lang=en">A mission page</a>, its <a href="/missions/food-system/archive?lang=en">archive</a> and{" "}
          <a href="/missions/food-system/feed.atom?lang=en">Atom feed</a>
        </li>
        <li>
          <a href="/cookies?lang=en">Cookie settings</a>: change or reset the cookie choice that gates the sign-up widget
        </li>
      </ul>
      <h2>API and tools</h2>
      <ul>
        <li>
          <a href="/api/missions">Missions catalogue</a> (GET /api/missions)
        </li>
        <li>
          <a href="/api/consent">Current consent text</a> (GET /api/consent)
        </li>
        <li>
          <a href="/staff?lang=en">Staff console</a>: paste a token from <code>npm run -s mm -- staff-token --email you@example.org --role publisher</code>, or open the signed-in link{" "}
          <code>npm start</code> printed
        </li>
        <li>
          <a href={urls.mailbox}>Local mailbox</a>: every email the pipeline sends
        </li>
      </ul>
      <p>
        DynamoDB Local listens on <code>{urls.dynamodb}</code>.
      </p>
    </>,
  );
}
